import packageJson from '../../package.json' with {type: 'json'};

/** The tool's version, printed by `--version` and written into page footers. */
export const VERSION: string = packageJson.version;
