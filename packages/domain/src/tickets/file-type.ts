/** File types a seller may upload as a ticket, detected from content. */
export type TicketFileType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'image/webp';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const PDF_HEADER = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

// PDF readers (Acrobat, pdf.js) accept a header that starts anywhere in the first 1024 bytes,
// and some ticket systems prepend a few bytes, so the PDF check scans that window.
const PDF_HEADER_WINDOW = 1024;

/**
 * Detects a ticket file's type from its magic bytes; the file name and the type the client
 * declared are ignored. Returns null for anything else, including empty input.
 */
export function sniffFileType(bytes: Uint8Array): TicketFileType | null {
  if (startsWith(bytes, PNG_SIGNATURE, 0)) {
    return 'image/png';
  }
  if (startsWith(bytes, JPEG_SIGNATURE, 0)) {
    return 'image/jpeg';
  }
  if (isWebp(bytes)) {
    return 'image/webp';
  }
  if (findPdfHeader(bytes)) {
    return 'application/pdf';
  }

  return null;
}

// A WebP file is a RIFF container: "RIFF", a 4-byte little-endian size, then "WEBP".
function isWebp(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x52, 0x49, 0x46, 0x46], 0) &&
    startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8);
}

function findPdfHeader(bytes: Uint8Array): boolean {
  const lastStart = Math.min(bytes.length - PDF_HEADER.length, PDF_HEADER_WINDOW);
  for (let offset = 0; offset <= lastStart; offset++) {
    if (startsWith(bytes, PDF_HEADER, offset)) {
      return true;
    }
  }

  return false;
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset: number): boolean {
  if (bytes.length < offset + signature.length) {
    return false;
  }

  return signature.every((byte, index) => bytes[offset + index] === byte);
}
