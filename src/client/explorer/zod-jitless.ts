import {z} from 'zod';

// Imported first by the explorer's entry, before any schema is made: zod compiles its object parsers
// with `new Function` unless told not to, which the site's Content-Security-Policy (`script-src 'self'`)
// refuses and reports. Without it zod parses the same data to the same values.
z.config({jitless: true});
