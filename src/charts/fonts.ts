import {createRequire} from 'node:module';

/** The family charts and pages use: Inter (SIL Open Font License), shipped with the site. */
export const FONT_FAMILY = 'Inter';

/** The font files the site serves, by weight, from @fontsource/inter. */
export const FONT_FILES = {
  regular: '@fontsource/inter/files/inter-latin-400-normal.woff2',
  semibold: '@fontsource/inter/files/inter-latin-600-normal.woff2',
} as const;

const require = createRequire(import.meta.url);

/** Absolute path of a file in a package (for fonts, which are not modules). */
export function packageFile(specifier: string): string {
  return require.resolve(specifier);
}
