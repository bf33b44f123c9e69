// Clean io file.
import { execFile } from 'node:child_process';
export const startAgent = (): unknown => execFile;
