// Payment request codes: short enough to type from a receipt, long enough not to be guessed.
// 12 characters from 57 that cannot be confused with each other (no 0/O, 1/l/I): about 70 bits.
import { randomChars } from '../ids.js';

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export const PAYMENT_CODE = /^[A-Za-z0-9]{12}$/;

export const newPaymentCode = (): string => randomChars(ALPHABET, 12);
