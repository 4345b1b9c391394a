// Preloaded with `node --import`, it registers the hooks that delay the import of tsx.
import { register } from 'node:module';

register('./stall-tsx-hooks.mjs', import.meta.url);
