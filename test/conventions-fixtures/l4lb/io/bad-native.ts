// native-addon-outside-nfqueue
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
export const addon = (): unknown => require(`../../build/Release/${'mesonet_native'}.node`);
