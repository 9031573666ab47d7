/**
 * Text from outside the harness (fixture names, what a client under test shows, product files, tar
 * entry names) can carry control characters: an ANSI or OSC sequence recolours the terminal, moves
 * the cursor over a line already printed or retitles the window; a carriage return or BEL does its
 * own mischief. Everything printed or written as text goes through `visible` first: each C0 control
 * but tab and newline, DEL and each C1 control becomes its escape, `\x1B`, which shows as what it is.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function visible(text: string): string {
  return text.replace(CONTROL, (character) => `\\x${hex(character)}`);
}

function hex(character: string): string {
  return character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
}
