package io.appmeshxds.translator.re2;

import io.appmeshxds.translator.re2.Re2Node.AnyChar;
import io.appmeshxds.translator.re2.Re2Node.Alternate;
import io.appmeshxds.translator.re2.Re2Node.Capture;
import io.appmeshxds.translator.re2.Re2Node.CharClass;
import io.appmeshxds.translator.re2.Re2Node.Concat;
import io.appmeshxds.translator.re2.Re2Node.EmptyMatch;
import io.appmeshxds.translator.re2.Re2Node.EmptyWidth;
import io.appmeshxds.translator.re2.Re2Node.Literal;
import io.appmeshxds.translator.re2.Re2Node.NoMatch;
import io.appmeshxds.translator.re2.Re2Node.Repeat;
import io.appmeshxds.translator.re2.Re2Node.Repetition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model of the program RE2 compiles a pattern into, built to count it: {@code
 * RE2::ProgramSize()} is the number of instructions after RE2 "flattens" its program.
 *
 * <p>The program is a Thompson automaton: a byte range per literal byte (an ASCII letter under
 * case folding is one range with a fold flag), a class as UTF-8 byte-range sequences sharing their
 * leading bytes as a trie and, where RE2 caches them, their trailing bytes; two capture
 * instructions per group; an alternation per {@code |}, {@code *}, {@code +}, {@code ?} (a {@code
 * *} of something that can match empty is {@code (x+)?}); an instruction per empty-width assertion;
 * a match instruction; a fail instruction at 0; and, unless anchored at the start, a non-greedy
 * any-byte loop in front. No-ops are skipped on the paths from the start.
 *
 * <p>Flattening turns every point that a byte range, capture or assertion leads to (and the two
 * starts, and every point reached by the epsilon closures of two such points) into a list of the
 * non-epsilon instructions its epsilon closure reaches, with one jump per other list it reaches;
 * the size is the total length of the lists. This class builds the automaton with the same shapes
 * and counts those lists. Instructions are numbered in the order RE2 allocates them, because which
 * shared points become lists depends on it.
 *
 * <p>Bounded: building stops with {@link TooLarge} past {@code cap} instructions.
 */
final class Re2Program {
  static final int FAIL = 0;
  static final int ALT = 1;
  static final int BYTE = 2;
  static final int CAPTURE = 3;
  static final int EMPTY = 4;
  static final int NOP = 5;
  static final int MATCH = 6;

  /** Thrown when the program would exceed the cap. */
  static final class TooLarge extends RuntimeException {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  private final int cap;
  private int n;
  private int[] op = new int[64];
  private int[] out = new int[64];
  private int[] out1 = new int[64];
  private int[] lo = new int[64];
  private int[] hi = new int[64];
  private boolean[] fold = new boolean[64];

  // The class being compiled: its entry, its unpatched exits, and its cached suffixes.
  private int rangeBegin;
  private long rangeEnd;
  private final Map<Long, Integer> suffixCache = new HashMap<>();

  private Re2Program(int cap) {
    this.cap = cap;
  }

  /** A fragment: entry instruction (0 = matches nothing), unpatched exits, and whether it can match empty. */
  private record Frag(int begin, long end, boolean nullable) {}

  private static final Frag NO_MATCH = new Frag(0, 0, false);

  /** The flattened size of the program of {@code p}; {@link TooLarge} past {@code cap} instructions. */
  static int size(Re2Simplifier.Prepared p, int cap) {
    Re2Program c = new Re2Program(cap);
    c.alloc(FAIL);
    Frag all = c.compile(p.node());
    all = c.cat(all, c.match());
    int start = all.begin();
    if (!p.anchorStart()) {
      all = c.cat(c.star(c.byteRange(0x00, 0xFF, false), true), all);
    }
    int unanchored = all.begin();
    if (start == 0 && unanchored == 0) {
      return 1; // nothing matches: the fail instruction alone
    }
    c.skipNops(start);
    return c.flattenedSize(start, unanchored);
  }

  /** Byte-range instructions a class (or any character) compiles to, counted on a program of its own. */
  static long classRanges(Re2Node cls) {
    Re2Program c = new Re2Program(Integer.MAX_VALUE);
    c.alloc(FAIL);
    Frag f;
    if (cls instanceof CharClass cc) {
      f = c.charClass(cc.ranges());
    } else {
      c.beginRange();
      c.addRuneRange(0, Re2Utf8.MAX_RUNE, false);
      f = c.endRange();
    }
    Frag end = c.match();
    c.patch(f.end(), end.begin());
    boolean[] seen = new boolean[c.n];
    ArrayDeque<Integer> stack = new ArrayDeque<>();
    stack.push(f.begin());
    long count = 0;
    while (!stack.isEmpty()) {
      int id = stack.pop();
      if (seen[id]) {
        continue;
      }
      seen[id] = true;
      if (c.op[id] == BYTE) {
        count++;
        stack.push(c.out[id]);
      } else if (c.op[id] == ALT) {
        stack.push(c.out[id]);
        stack.push(c.out1[id]);
      }
    }
    return count;
  }

  // ---- instructions and patch lists (exits threaded through the unset out fields, as RE2 does) ----

  private int alloc(int opcode) {
    if (n >= cap) {
      throw new TooLarge();
    }
    if (n == op.length) {
      int m = n * 2;
      op = Arrays.copyOf(op, m);
      out = Arrays.copyOf(out, m);
      out1 = Arrays.copyOf(out1, m);
      lo = Arrays.copyOf(lo, m);
      hi = Arrays.copyOf(hi, m);
      fold = Arrays.copyOf(fold, m);
    }
    op[n] = opcode;
    out[n] = 0;
    out1[n] = 0;
    lo[n] = 0;
    hi[n] = 0;
    fold[n] = false;
    return n++;
  }

  /** A one-entry exit list: {@code out} (or {@code out1}) of {@code id}. */
  private static long exit(int id, boolean second) {
    int p = id << 1 | (second ? 1 : 0);
    return (long) p << 32 | p;
  }

  private int field(int p) {
    return (p & 1) == 0 ? out[p >> 1] : out1[p >> 1];
  }

  private void setField(int p, int v) {
    if ((p & 1) == 0) {
      out[p >> 1] = v;
    } else {
      out1[p >> 1] = v;
    }
  }

  private void patch(long list, int target) {
    int p = (int) (list >>> 32);
    while (p != 0) {
      int next = field(p);
      setField(p, target);
      p = next;
    }
  }

  private long append(long a, long b) {
    if (a == 0) {
      return b;
    }
    if (b == 0) {
      return a;
    }
    setField((int) a, (int) (b >>> 32));
    return (a & 0xffffffff00000000L) | (b & 0xffffffffL);
  }

  // ---- fragments ----

  private Frag match() {
    return new Frag(alloc(MATCH), 0, false);
  }

  private Frag nop() {
    int id = alloc(NOP);
    return new Frag(id, exit(id, false), true);
  }

  private Frag byteRange(int l, int h, boolean f) {
    int id = alloc(BYTE);
    lo[id] = l;
    hi[id] = h;
    fold[id] = f;
    return new Frag(id, exit(id, false), false);
  }

  private Frag emptyWidth() {
    int id = alloc(EMPTY);
    return new Frag(id, exit(id, false), true);
  }

  private Frag cat(Frag a, Frag b) {
    if (a.begin() == 0 || b.begin() == 0) {
      return NO_MATCH;
    }
    // A leading no-op is elided (it stays allocated, unreachable).
    if (op[a.begin()] == NOP && (int) (a.end() >>> 32) == a.begin() << 1 && out[a.begin()] == 0) {
      patch(a.end(), b.begin());
      return b;
    }
    patch(a.end(), b.begin());
    return new Frag(a.begin(), b.end(), a.nullable() && b.nullable());
  }

  private Frag alt(Frag a, Frag b) {
    if (a.begin() == 0) {
      return b;
    }
    if (b.begin() == 0) {
      return a;
    }
    int id = alloc(ALT);
    out[id] = a.begin();
    out1[id] = b.begin();
    return new Frag(id, append(a.end(), b.end()), a.nullable() || b.nullable());
  }

  private Frag plus(Frag a, boolean nonGreedy) {
    int id = alloc(ALT);
    long exit;
    if (nonGreedy) {
      out1[id] = a.begin();
      exit = exit(id, false);
    } else {
      out[id] = a.begin();
      exit = exit(id, true);
    }
    patch(a.end(), id);
    return new Frag(a.begin(), exit, a.nullable());
  }

  private Frag star(Frag a, boolean nonGreedy) {
    // One alternation is not enough to keep the priorities of a loop that can match empty.
    if (a.nullable()) {
      return quest(plus(a, nonGreedy), nonGreedy);
    }
    int id = alloc(ALT);
    patch(a.end(), id);
    if (nonGreedy) {
      out1[id] = a.begin();
      return new Frag(id, exit(id, false), true);
    }
    out[id] = a.begin();
    return new Frag(id, exit(id, true), true);
  }

  private Frag quest(Frag a, boolean nonGreedy) {
    if (a.begin() == 0) {
      return nop();
    }
    int id = alloc(ALT);
    long exit;
    if (nonGreedy) {
      out1[id] = a.begin();
      exit = exit(id, false);
    } else {
      out[id] = a.begin();
      exit = exit(id, true);
    }
    return new Frag(id, append(exit, a.end()), true);
  }

  private Frag capture(Frag a) {
    if (a.begin() == 0) {
      return NO_MATCH;
    }
    int open = alloc(CAPTURE);
    int close = alloc(CAPTURE);
    out[open] = a.begin();
    patch(a.end(), close);
    return new Frag(open, exit(close, false), a.nullable());
  }

  // ---- the tree ----

  private Frag compile(Re2Node re) {
    if (re instanceof NoMatch) {
      return NO_MATCH;
    }
    if (re instanceof EmptyMatch) {
      return nop();
    }
    if (re instanceof Literal l) {
      Frag f = null;
      for (int r : l.runes()) {
        Frag g = literal(r, l.fold());
        f = f == null ? g : cat(f, g);
      }
      return f;
    }
    if (re instanceof CharClass c) {
      return charClass(c.ranges());
    }
    if (re instanceof AnyChar) {
      beginRange();
      addRuneRange(0, Re2Utf8.MAX_RUNE, false);
      return endRange();
    }
    if (re instanceof EmptyWidth) {
      return emptyWidth();
    }
    if (re instanceof Capture c) {
      return capture(compile(c.sub()));
    }
    if (re instanceof Repetition r) {
      Frag sub = compile(r.sub());
      return switch (r.op()) {
        case STAR -> star(sub, r.nonGreedy());
        case PLUS -> plus(sub, r.nonGreedy());
        case QUEST -> quest(sub, r.nonGreedy());
      };
    }
    if (re instanceof Repeat r) {
      return repeat(r);
    }
    if (re instanceof Concat c) {
      Frag f = null;
      for (Re2Node s : c.subs()) {
        Frag g = compile(s);
        f = f == null ? g : cat(f, g);
      }
      return f == null ? nop() : f;
    }
    Alternate a = (Alternate) re;
    List<Frag> subs = new ArrayList<>(a.subs().size());
    for (Re2Node s : a.subs()) {
      subs.add(compile(s));
    }
    Frag f = subs.get(0);
    for (int i = 1; i < subs.size(); i++) {
      f = alt(f, subs.get(i));
    }
    return f;
  }

  /**
   * {@code x{min,max}} as RE2 simplifies it: {@code x{0,}} = {@code x*}, {@code x{1,}} = {@code x+},
   * {@code x{n,}} = {@code n - 1} copies then {@code x+}; {@code x{0}} the empty string, {@code
   * x{1}} = {@code x}; otherwise {@code min} copies then {@code max - min} nested optional copies.
   * Each copy is compiled anew, as RE2 does.
   */
  private Frag repeat(Repeat r) {
    Re2Node x = r.sub();
    boolean ng = r.nonGreedy();
    int min = r.min();
    int max = r.max();
    if (max == -1) {
      if (min == 0) {
        return compile(squashed(Repetition.Op.STAR, x, ng));
      }
      if (min == 1) {
        return compile(squashed(Repetition.Op.PLUS, x, ng));
      }
      Frag f = compile(x);
      for (int i = 1; i < min - 1; i++) {
        f = cat(f, compile(x));
      }
      return cat(f, compile(squashed(Repetition.Op.PLUS, x, ng)));
    }
    if (min == 0 && max == 0) {
      return nop();
    }
    if (min == 1 && max == 1) {
      return compile(x);
    }
    Frag f = null;
    for (int i = 0; i < min; i++) {
      Frag g = compile(x);
      f = f == null ? g : cat(f, g);
    }
    if (max > min) {
      Frag suffix = optionalCopies(x, max - min, ng);
      f = f == null ? suffix : cat(f, suffix);
    }
    return f;
  }

  /** {@code (x(x(x)?)?)?} with {@code k} copies, compiled outermost copy first as RE2 does. */
  private Frag optionalCopies(Re2Node x, int k, boolean ng) {
    if (k == 1) {
      return questOf(x, ng);
    }
    Frag first = compile(x);
    Frag rest = optionalCopies(x, k - 1, ng);
    return quest(cat(first, rest), ng);
  }

  private Frag questOf(Re2Node x, boolean ng) {
    return compile(squashed(Repetition.Op.QUEST, x, ng));
  }

  /** RE2 builds {@code *}, {@code +}, {@code ?} of a {@code *}, {@code +}, {@code ?} as the sub itself or {@code *}. */
  private static Re2Node squashed(Repetition.Op op, Re2Node x, boolean ng) {
    if (x instanceof Repetition r && r.nonGreedy() == ng) {
      return r.op() == op ? r : new Repetition(Repetition.Op.STAR, r.sub(), ng);
    }
    return new Repetition(op, x, ng);
  }

  private Frag literal(int r, boolean f) {
    if (r < 0x80) {
      return byteRange(r, r, f);
    }
    int[] b = Re2Utf8.encode(r);
    Frag out = byteRange(b[0], b[0], false);
    for (int i = 1; i < b.length; i++) {
      out = cat(out, byteRange(b[i], b[i], false));
    }
    return out;
  }

  // ---- classes: UTF-8 byte-range sequences ----

  /**
   * A class: RE2 drops an upper-case ASCII range when the class treats A-Z as it treats a-z (the
   * lower-case range then carries the fold flag), and compiles each range as UTF-8 sequences.
   */
  private Frag charClass(int[] ranges) {
    boolean foldsAscii = foldsAscii(ranges);
    beginRange();
    for (int i = 0; i < ranges.length; i += 2) {
      int l = ranges[i];
      int h = ranges[i + 1];
      if (foldsAscii && 'A' <= l && h <= 'Z') {
        continue;
      }
      boolean f = foldsAscii;
      if (l <= 'A' && 'z' <= h || h < 'A' || 'z' < l || 'Z' < l && h < 'a') {
        f = false;
      }
      addRuneRange(l, h, f);
    }
    return endRange();
  }

  /** Whether every ASCII letter is in the class exactly when its other case is. */
  private static boolean foldsAscii(int[] ranges) {
    for (int c = 'a'; c <= 'z'; c++) {
      if (contains(ranges, c) != contains(ranges, c - ('a' - 'A'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(int[] ranges, int c) {
    for (int i = 0; i < ranges.length; i += 2) {
      if (ranges[i] <= c && c <= ranges[i + 1]) {
        return true;
      }
    }
    return false;
  }

  private void beginRange() {
    suffixCache.clear();
    rangeBegin = 0;
    rangeEnd = 0;
  }

  private Frag endRange() {
    return new Frag(rangeBegin, rangeEnd, false);
  }

  private void addRuneRange(int l, int h, boolean f) {
    if (l > h) {
      return;
    }
    if (l == 0x80 && h == Re2Utf8.MAX_RUNE) {
      addAllNonAscii();
      return;
    }
    // Split into ranges of one encoded length.
    for (int i = 1; i < 4; i++) {
      int max = Re2Utf8.maxRune(i);
      if (l <= max && max < h) {
        addRuneRange(l, max, f);
        addRuneRange(max + 1, h, f);
        return;
      }
    }
    if (h < 0x80) {
      addSuffix(uncachedSuffix(l, h, f, 0));
      return;
    }
    // Split into ranges whose sequences agree on every byte but the trailing ranges.
    for (int i = 1; i < 4; i++) {
      int m = (1 << 6 * i) - 1;
      if ((l & ~m) != (h & ~m)) {
        if ((l & m) != 0) {
          addRuneRange(l, l | m, f);
          addRuneRange((l | m) + 1, h, f);
          return;
        }
        if ((h & m) != m) {
          addRuneRange(l, (h & ~m) - 1, f);
          addRuneRange(h & ~m, h, f);
          return;
        }
      }
    }
    int[] ul = Re2Utf8.encode(l);
    int[] uh = Re2Utf8.encode(h);
    int id = 0;
    for (int i = ul.length - 1; i >= 0; i--) {
      // RE2 shares the last byte's range and the middle bytes' ranges (not single bytes), never the first.
      if (i == ul.length - 1 || i > 0 && ul[i] < uh[i]) {
        id = cachedSuffix(ul[i], uh[i], id);
      } else {
        id = uncachedSuffix(ul[i], uh[i], false, id);
      }
    }
    addSuffix(id);
  }

  /**
   * 80–10FFFF, as RE2 compiles it: one shared continuation-byte chain, leading bytes C2–DF, E0–EF
   * and F0–F4 (overlong and out-of-range sequences accepted to keep it small).
   */
  private void addAllNonAscii() {
    int cont1 = uncachedSuffix(0x80, 0xBF, false, 0);
    addSuffix(uncachedSuffix(0xC2, 0xDF, false, cont1));
    int cont2 = uncachedSuffix(0x80, 0xBF, false, cont1);
    addSuffix(uncachedSuffix(0xE0, 0xEF, false, cont2));
    int cont3 = uncachedSuffix(0x80, 0xBF, false, cont2);
    addSuffix(uncachedSuffix(0xF0, 0xF4, false, cont3));
  }

  private int uncachedSuffix(int l, int h, boolean f, int next) {
    Frag b = byteRange(l, h, f);
    if (next == 0) {
      rangeEnd = append(rangeEnd, b.end());
    } else {
      patch(b.end(), next);
    }
    return b.begin();
  }

  private static long cacheKey(int l, int h, boolean f, int next) {
    return (long) next << 17 | (long) l << 9 | (long) h << 1 | (f ? 1 : 0);
  }

  private int cachedSuffix(int l, int h, int next) {
    long key = cacheKey(l, h, false, next);
    Integer id = suffixCache.get(key);
    if (id != null) {
      return id;
    }
    int created = uncachedSuffix(l, h, false, next);
    suffixCache.put(key, created);
    return created;
  }

  /** Whether {@code id} is the cached instance of its range and continuation (read from its out field, as RE2 does). */
  private boolean isCachedSuffix(int id) {
    Integer cached = suffixCache.get(cacheKey(lo[id], hi[id], fold[id], out[id]));
    return cached != null && cached == id;
  }

  private boolean sameRange(int a, int b) {
    return lo[a] == lo[b] && hi[a] == hi[b] && fold[a] == fold[b];
  }

  /** Adds sequence {@code id} to the class, merging a leading range equal to the last one added into a trie. */
  private void addSuffix(int id) {
    if (rangeBegin == 0) {
      rangeBegin = id;
      return;
    }
    rangeBegin = addSuffixRecursive(rangeBegin, id);
  }

  private int addSuffixRecursive(int root, int id) {
    // Only the most recently added alternative can share a leading range (ranges come sorted).
    int parent;
    boolean second;
    int br;
    if (op[root] == BYTE) {
      if (!sameRange(root, id)) {
        return newAlt(root, id);
      }
      parent = -1;
      second = false;
      br = root;
    } else if (op[root] == ALT && sameRange(out1[root], id)) {
      parent = root;
      second = true;
      br = out1[root];
    } else {
      return newAlt(root, id);
    }
    if (isCachedSuffix(br)) {
      // A cached range is shared: clone it before extending it.
      int clone = byteRange(lo[br], hi[br], fold[br]).begin();
      out[clone] = out[br];
      br = clone;
      if (parent < 0) {
        root = br;
      } else if (second) {
        out1[parent] = br;
      } else {
        out[parent] = br;
      }
    }
    int next = out[id];
    if (!isCachedSuffix(id)) {
      n--; // the new leading range was the last instruction allocated: RE2 frees it
    }
    out[br] = addSuffixRecursive(out[br], next);
    return root;
  }

  private int newAlt(int root, int id) {
    int alt = alloc(ALT);
    out[alt] = root;
    out1[alt] = id;
    return alt;
  }

  // ---- optimization and flattening ----

  /** Points every instruction reachable from {@code start} past chains of no-ops (RE2 does not touch the unanchored loop). */
  private void skipNops(int start) {
    boolean[] seen = new boolean[n];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(start);
    seen[start] = true;
    while (!queue.isEmpty()) {
      int id = queue.poll();
      if (op[id] == MATCH || op[id] == FAIL) {
        continue;
      }
      int j = out[id];
      while (j != 0 && op[j] == NOP) {
        j = out[j];
      }
      out[id] = j;
      if (!seen[j]) {
        seen[j] = true;
        queue.add(j);
      }
      if (op[id] == ALT) {
        j = out1[id];
        while (j != 0 && op[j] == NOP) {
          j = out[j];
        }
        out1[id] = j;
        if (!seen[j]) {
          seen[j] = true;
          queue.add(j);
        }
      }
    }
  }

  private int flattenedSize(int start, int unanchored) {
    int[] rootIndex = new int[n];
    Arrays.fill(rootIndex, -1);
    List<Integer> roots = new ArrayList<>();
    addRoot(0, rootIndex, roots);
    addRoot(unanchored, rootIndex, roots);
    addRoot(start, rootIndex, roots);
    // Successor roots: where a byte range, capture or assertion leads; alternations' predecessors.
    List<List<Integer>> preds = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      preds.add(null);
    }
    boolean[] seen = new boolean[n];
    ArrayDeque<Integer> stack = new ArrayDeque<>();
    stack.push(unanchored);
    while (!stack.isEmpty()) {
      int id = stack.pop();
      while (!seen[id]) {
        seen[id] = true;
        int o = op[id];
        if (o == ALT) {
          addPred(preds, out[id], id);
          addPred(preds, out1[id], id);
          stack.push(out1[id]);
          id = out[id];
        } else if (o == BYTE || o == CAPTURE || o == EMPTY) {
          addRoot(out[id], rootIndex, roots);
          id = out[id];
        } else if (o == NOP) {
          id = out[id];
        } else {
          break;
        }
      }
    }
    // Dominator roots: a point of one list's closure that another path reaches becomes a list of its own.
    List<Integer> sorted = new ArrayList<>(roots);
    sorted.sort(null);
    for (int i = sorted.size() - 1; i > 0; i--) {
      int r = sorted.get(i);
      if (r != unanchored && r != start) {
        markDominator(r, rootIndex, roots, preds);
      }
    }
    int size = 0;
    for (int r : roots) {
      size += listSize(r, rootIndex);
    }
    return size;
  }

  private static void addRoot(int id, int[] rootIndex, List<Integer> roots) {
    if (rootIndex[id] < 0) {
      rootIndex[id] = roots.size();
      roots.add(id);
    }
  }

  private static void addPred(List<List<Integer>> preds, int id, int pred) {
    List<Integer> l = preds.get(id);
    if (l == null) {
      l = new ArrayList<>(2);
      preds.set(id, l);
    }
    l.add(pred);
  }

  // Scratch state of the closures: a stamp per instruction (the closure that reached it) and the reached list.
  private int[] stamp;
  private int generation;
  private int[] reached;
  private int reachedCount;
  private int[] work;

  /** The epsilon closure of {@code root} up to other roots, in visiting order, into {@code reached}. */
  private void closure(int root, int[] rootIndex) {
    if (stamp == null) {
      stamp = new int[n];
      reached = new int[n];
      work = new int[n + 1];
    }
    generation++;
    reachedCount = 0;
    int top = 0;
    work[top++] = root;
    while (top > 0) {
      int id = work[--top];
      while (stamp[id] != generation) {
        stamp[id] = generation;
        reached[reachedCount++] = id;
        if (id != root && rootIndex[id] >= 0) {
          break;
        }
        if (op[id] == ALT) {
          work[top++] = out1[id];
          id = out[id];
        } else if (op[id] == NOP) {
          id = out[id];
        } else {
          break;
        }
      }
    }
  }

  private void markDominator(int root, int[] rootIndex, List<Integer> roots, List<List<Integer>> preds) {
    closure(root, rootIndex);
    for (int k = 0; k < reachedCount; k++) {
      int id = reached[k];
      List<Integer> p = preds.get(id);
      if (p == null) {
        continue;
      }
      for (int pred : p) {
        if (stamp[pred] != generation) {
          addRoot(id, rootIndex, roots);
        }
      }
    }
  }

  /** Instructions the list of {@code root} holds: every non-epsilon instruction of its closure, and a jump per other root. */
  private int listSize(int root, int[] rootIndex) {
    closure(root, rootIndex);
    int size = 0;
    for (int k = 0; k < reachedCount; k++) {
      int id = reached[k];
      if (id != root && rootIndex[id] >= 0 || op[id] != ALT && op[id] != NOP) {
        size++;
      }
    }
    return size;
  }
}
