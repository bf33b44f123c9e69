#!/usr/bin/env node
// Thin launcher: the CLI lives in src/cmd/mesonet.ts, compiled to dist/ by `npm run build`.
import { main } from '../dist/src/cmd/mesonet.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
