package io.appmeshxds.translator.re2;

/** UTF-8 facts RE2's compiler relies on. */
final class Re2Utf8 {
  private Re2Utf8() {}

  /** Largest code point. */
  static final int MAX_RUNE = 0x10FFFF;

  /** Largest code point encoded in {@code n} bytes ({@code n} 1–3). */
  static int maxRune(int n) {
    return n == 1 ? 0x7F : n == 2 ? 0x7FF : 0xFFFF;
  }

  /** The UTF-8 bytes of {@code r} (surrogate code points encoded as any other three-byte one). */
  static int[] encode(int r) {
    if (r < 0x80) {
      return new int[] {r};
    }
    if (r < 0x800) {
      return new int[] {0xC0 | r >> 6, 0x80 | r & 0x3F};
    }
    if (r < 0x10000) {
      return new int[] {0xE0 | r >> 12, 0x80 | r >> 6 & 0x3F, 0x80 | r & 0x3F};
    }
    return new int[] {0xF0 | r >> 18, 0x80 | r >> 12 & 0x3F, 0x80 | r >> 6 & 0x3F, 0x80 | r & 0x3F};
  }

  /**
   * How many sequences of byte ranges (one range per byte position) spell the code points {@code
   * [lo, hi]}, all of encoding length {@code n}: a sequence covers a block whose trailing bytes run
   * over all their values, so the range is split where a trailing byte would otherwise wrap.
   */
  static long sequences(int lo, int hi, int n) {
    if (lo > hi) {
      return 0;
    }
    for (int i = 1; i < n; i++) {
      int m = (1 << (6 * i)) - 1;
      if ((lo & ~m) != (hi & ~m)) {
        if ((lo & m) != 0) {
          return sequences(lo, lo | m, n) + sequences((lo | m) + 1, hi, n);
        }
        if ((hi & m) != m) {
          return sequences(lo, (hi & ~m) - 1, n) + sequences(hi & ~m, hi, n);
        }
      }
    }
    return 1;
  }
}
