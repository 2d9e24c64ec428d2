// An .ics file leaves the browser as base64 of its bytes: decoding it here would turn a line folded
// inside a UTF-8 character (RFC 5545 folds count octets) into two U+FFFD before the API could unfold it.
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
