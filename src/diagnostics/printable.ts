/** Text from the data as a message shows it: control characters (a line break in a key) escaped, so each message stays one line. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this escapes
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (character) => {
    const escaped = JSON.stringify(character).slice(1, -1);
    return escaped.length > 1 ? escaped : `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
