import { resolve } from 'node:path';
import { buildApp } from '../lib/build-app.ts';

// Synthesises the adreport stack; run through cdk.json (`npx cdk synth`, `npm run synth`).
const { app } = buildApp({ rootDir: resolve(import.meta.dirname, '..', '..') });
app.synth();
