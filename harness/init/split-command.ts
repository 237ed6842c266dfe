/**
 * Split a command line given as one flag (`--gateway-cmd "node gw.js --config
 * {mcpServersFile}"`) into words the way a POSIX shell would for plain
 * words, single and double quotes and backslash escapes. No expansion of any
 * kind: `$VAR`, globs and `{placeholders}` stay as written. Returns the words,
 * or a problem when a quote is left open.
 */
export function splitCommand(text: string): { words: string[]; problem?: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
      continue;
    }
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1] as string;
      inWord = true;
      // Inside double quotes a backslash only escapes what a shell lets it escape.
      if (quote === '"' && !'"\\$`'.includes(next)) {
        word += ch;
        continue;
      }
      word += next;
      i++;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) return { words, problem: `the ${quote === '"' ? 'double' : 'single'} quote is not closed` };
  if (inWord) words.push(word);
  return { words };
}
