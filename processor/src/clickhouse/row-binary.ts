/**
 * ClickHouse's RowBinary format (https://clickhouse.com/docs/interfaces/formats/RowBinary), for
 * the column types the processor inserts: each value in column order, with no names and nothing
 * to parse — a String is its UTF-8 length as a LEB128 varint then its bytes, a DateTime64(3) its
 * epoch milliseconds as a little-endian Int64, a Float64 its IEEE 754 bytes, a UInt8 one byte.
 * Against JSONEachRow it spares the processor the row's JSON and the engine its parsing.
 */

const INITIAL_BYTES = 64 * 1024;

/** Values appended back to back into one growing buffer (a row, or the rows of a whole batch). */
export class RowWriter {
  private buffer: Buffer;
  private at = 0;

  constructor(initialBytes = INITIAL_BYTES) {
    this.buffer = Buffer.allocUnsafeSlow(Math.max(16, initialBytes));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.at;
  }

  /** Forgets what was written after `length` (a row abandoned half-way). */
  truncate(length: number): void {
    this.at = Math.min(this.at, Math.max(0, length));
  }

  private room(bytes: number): void {
    const needed = this.at + bytes;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }

  private varint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.at++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buffer[this.at++] = v;
  }

  string(value: string): void {
    // Up to 42 UTF-16 units are at most 126 UTF-8 bytes: a one-byte length, known once written,
    // so short strings (most columns) are encoded once, without measuring them first.
    if (value.length <= 42) {
      this.room(1 + value.length * 3);
      const start = this.at++;
      const written = this.buffer.write(value, this.at, 'utf8');
      this.buffer[start] = written;
      this.at += written;
      return;
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.room(10 + bytes);
    this.varint(bytes);
    this.at += this.buffer.write(value, this.at, 'utf8');
  }

  /** A DateTime64(3): whole epoch milliseconds, as two 32-bit halves (no BigInt per value). */
  dateTime64(ms: number): void {
    this.room(8);
    const high = Math.floor(ms / 0x1_0000_0000);
    this.buffer.writeUInt32LE(ms - high * 0x1_0000_0000, this.at);
    this.buffer.writeInt32LE(high, this.at + 4);
    this.at += 8;
  }

  float64(value: number): void {
    this.room(8);
    this.buffer.writeDoubleLE(value, this.at);
    this.at += 8;
  }

  uint8(value: number): void {
    this.room(1);
    this.buffer[this.at++] = value;
  }

  /** Bytes written by another writer (a fragment shared by many rows). */
  bytes(value: Uint8Array): void {
    this.room(value.length);
    this.buffer.set(value, this.at);
    this.at += value.length;
  }

  /**
   * What was written, in a buffer of its own (transferable to another thread: not a view of
   * Node's shared pool). The writer is spent afterwards.
   */
  finish(): Buffer {
    const done = this.at === this.buffer.length ? this.buffer : this.buffer.subarray(0, this.at);
    this.buffer = Buffer.alloc(0);
    this.at = 0;
    return done;
  }

  /** A copy of what was written (the writer can go on). */
  copy(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.at));
  }
}

/** Reads RowBinary values back, in the order they were written (tests, and checking fragments). */
export class RowReader {
  private at = 0;

  constructor(private readonly buffer: Uint8Array) {}

  get done(): boolean {
    return this.at >= this.buffer.length;
  }

  private varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.buffer[this.at++];
      if (byte === undefined) throw new RangeError('RowBinary: truncated varint');
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  }

  string(): string {
    const length = this.varint();
    const end = this.at + length;
    if (end > this.buffer.length) throw new RangeError('RowBinary: truncated string');
    const text = Buffer.from(this.buffer.buffer, this.buffer.byteOffset + this.at, length).toString(
      'utf8',
    );
    this.at = end;
    return text;
  }

  private view(bytes: number): DataView {
    if (this.at + bytes > this.buffer.length) throw new RangeError('RowBinary: truncated value');
    const view = new DataView(this.buffer.buffer, this.buffer.byteOffset + this.at, bytes);
    this.at += bytes;
    return view;
  }

  dateTime64(): number {
    return Number(this.view(8).getBigInt64(0, true));
  }

  float64(): number {
    return this.view(8).getFloat64(0, true);
  }

  uint8(): number {
    return this.view(1).getUint8(0);
  }
}
