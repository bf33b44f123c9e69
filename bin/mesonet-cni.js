#!/usr/bin/env node
// Thin launcher: the CNI plugin lives in src/cmd/cni.ts, compiled to dist/ by `npm run build`.
import { main } from '../dist/src/cmd/cni.js';
main().then((code) => { process.exitCode = code; });
