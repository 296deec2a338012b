/**
 * Bytes to a string: UTF-8 (with or without BOM), UTF-16 with a BOM, the charset an HTML page declares, else
 * Windows-1252, which every byte sequence decodes under (what browsers do for legacy pages).
 */
export function decodeText(data: Buffer, options: { html?: boolean } = {}): string {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return decodeAs('utf-8', data.subarray(3));
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return decodeAs('utf-8', data, true);
  } catch {
    // Not UTF-8: look for a declared charset, then fall back.
  }
  if (options.html) {
    const head = data.subarray(0, 2048).toString('latin1');
    const declared = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
    if (declared) {
      try {
        return decodeAs(declared, data);
      } catch {
        // An unknown label: fall through.
      }
    }
  }
  return decodeAs('windows-1252', data);
}

/** Windows-1252's characters for bytes 0x80-0x9F (the rest of the code page is Latin-1). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeAs(label: string, data: Buffer, fatal = false): string {
  const decoder = new TextDecoder(label, { fatal });
  // Node decodes "windows-1252" (and the labels WHATWG maps to it: latin1, iso-8859-1, ascii) as plain Latin-1,
  // which turns curly quotes, dashes and the euro sign into control characters.
  if (decoder.encoding === 'windows-1252') {
    return data.toString('latin1').replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
  }
  return decoder.decode(data);
}
