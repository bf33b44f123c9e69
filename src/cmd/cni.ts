// mesonet-cni: the CNI 1.0 plugin entry (filled in by the overlay room).
export async function main(): Promise<number> {
  process.stdout.write(JSON.stringify({ cniVersion: '1.0.0', code: 4, msg: 'mesonet-cni: not implemented yet' }) + '\n');
  return 1;
}
