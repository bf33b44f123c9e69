// Clean: testing/ fakes are not pure files.
export const now = (): number => Date.now();
