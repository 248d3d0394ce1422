import {CACHE_OPTIONS, defineCommand, TEMPLATE_TIMEOUT_OPTION} from '../options.js';

export const devCommandSpec = defineCommand({
  name: 'dev',
  summary: 'Serve the site on 127.0.0.1; rebuild and reload on every change',
  details:
    'Watches data/ and templates/, rebuilds what changed through the same cache as build, and reloads open pages.',
  positionals: [],
  options: {
    port: {
      type: 'integer',
      value: 'n',
      min: 0,
      max: 65535,
      default: 4321,
      description: 'The port to serve on (0: any free port; default: 4321)',
    },
    ...CACHE_OPTIONS,
    'template-timeout': TEMPLATE_TIMEOUT_OPTION,
  },
});
