// Clean: the one file that loads the addon.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
export const open = (): unknown => require('../../build/Release/mesonet_native.node');
