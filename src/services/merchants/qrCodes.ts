// QR codes for payment links, drawn by the `qrcode` library: PNG (for the hosted page and apps),
// SVG (crisp at any size), and a PNG data URL (for the API). Error correction M: readable with a
// scratched or partly covered sticker, still a small code for a short URL.
import QRCode from 'qrcode';

const OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 2 };

export const qrPng = (text: string): Promise<Buffer> => QRCode.toBuffer(text, { ...OPTIONS, type: 'png', width: 320 });
export const qrSvg = (text: string): Promise<string> => QRCode.toString(text, { ...OPTIONS, type: 'svg' });
export const qrDataUrl = (text: string): Promise<string> => QRCode.toDataURL(text, { ...OPTIONS, width: 320 });
