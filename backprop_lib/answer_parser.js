// Typed answers, read and judged in the browser: the answer box's parser.
//
// It mirrors backprop_lib/_answer_parser.py line for line and reads the same grammar,
// backprop_lib/_answer_grammar.py, which the box sends as widget state (spec.grammar).
// Nothing typed is ever evaluated as JavaScript: the text is tokenized with the
// grammar's patterns, parsed by precedence climbing into closures of numbers, and
// those closures are called at the sample points SymPy prepared at build time
// (backprop_lib/symbolic/answer_points.py). Names and functions are looked up in
// Maps, never in plain objects, so `constructor` or `__proto__` are just unknown names.
//
// Exports: parseAnswer (text → {ok, evaluate} or {ok: false, code, message}),
// judge (text, spec → {verdict: "right" | "wrong" | "unreadable", message}).

class AnswerError extends Error {
  constructor(code, message, position = null) {
    super(message);
    this.code = code;
    this.position = position;
  }
}

const FOLDED = new Set(["exp", "log", "sqrt", "tanh", "logistic"]);

function logistic(x) {
  return 1 / (1 + Math.exp(-x));
}

/** IEEE arithmetic (the Python parser's _js_float mirrors this). */
function jsFloat(kind, a, b) {
  switch (kind) {
    case "add":
      return a + b;
    case "sub":
      return a - b;
    case "mul":
      return a * b;
    case "div":
      return a / b;
    case "pow":
      return a ** b;
    case "neg":
      return -a;
    case "pos":
      return a;
    case "exp":
      return Math.exp(a);
    case "log":
      return Math.log(a);
    case "sqrt":
      return Math.sqrt(a);
    case "tanh":
      return Math.tanh(a);
    case "logistic":
      return logistic(a);
    default:
      throw new Error(`unknown operation ${kind}`);
  }
}

/** The generic activation's stand-in (grammar.generic_stand_in) and its derivative. */
function generic(kind, params, u) {
  const [A, B, C, D] = params;
  const t = Math.tanh(B * u + C);
  return kind === "generic" ? A * t + D * u : A * B * (1 - t * t) + D;
}

function checkConstant(value) {
  if (Number.isNaN(value)) {
    throw new AnswerError("infinite", "it is not a real number (or divides 0 by 0)");
  }
  if (!Number.isFinite(value)) {
    throw new AnswerError("infinite", "a number in it is too large, or it divides by zero");
  }
}

function quote(s) {
  // Python's repr of a short string, as the Python parser's messages show it
  return s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s}'`;
}

function prepare(text, grammar) {
  const replacements = new Map(Object.entries(grammar.replacements));
  let source = "";
  const where = [];
  Array.from(text).forEach((ch, i) => {
    const rep = replacements.has(ch) ? replacements.get(ch) : ch;
    source += rep;
    for (let k = 0; k < rep.length; k++) where.push(i);
  });
  return { source, where };
}

function tokenize(source, where, grammar) {
  const res = grammar.tokens.map(([kind, pattern]) => [kind, new RegExp(pattern, "y")]);
  const tokens = [];
  let pos = 0;
  while (pos < source.length) {
    let matched = false;
    for (const [kind, rx] of res) {
      rx.lastIndex = pos;
      const m = rx.exec(source);
      if (m && rx.lastIndex > pos) {
        if (kind !== "space") tokens.push([kind, m[0], where[pos] + 1]);
        pos = rx.lastIndex;
        matched = true;
        break;
      }
    }
    if (!matched) {
      const ch = String.fromCodePoint(source.codePointAt(pos));
      throw new AnswerError(
        "char",
        `the character ${quote(ch)} at position ${where[pos] + 1} is not allowed`,
        where[pos] + 1,
      );
    }
  }
  return tokens;
}

function checkParentheses(tokens, grammar) {
  let depth = 0;
  let deepest = 0;
  for (const [, text, pos] of tokens) {
    if (text === "(") {
      depth += 1;
      deepest = Math.max(deepest, depth);
    } else if (text === ")") {
      depth -= 1;
      if (depth < 0) {
        throw new AnswerError(
          "paren",
          `the closing parenthesis at position ${pos} has no opening one`,
          pos,
        );
      }
    }
  }
  if (depth) throw new AnswerError("paren", "a parenthesis is not closed");
  if (deepest > grammar.max_nesting) {
    throw new AnswerError(
      "nesting",
      `parentheses are nested ${deepest} deep; the limit is ${grammar.max_nesting}`,
    );
  }
}

/**
 * Parse `text`. `names`: a Set of the symbols the reader may type; `functions`: a Map
 * name → {kind, of}. Returns {ok: true, evaluate(point)} where point is
 * {values: Map name → number, params: Map generic → [A, B, C, D]}, or
 * {ok: false, code, message, position}.
 */
export function parseAnswer(text, grammar, names, functions) {
  try {
    return { ok: true, evaluate: parse(text, grammar, names, functions) };
  } catch (err) {
    if (err instanceof AnswerError) {
      return { ok: false, code: err.code, message: err.message, position: err.position };
    }
    if (err instanceof RangeError) {
      // a stack overflow cannot happen, but never hang
      return { ok: false, code: "nesting", message: "it is too deeply nested" };
    }
    throw err;
  }
}

function parse(text, grammar, names, functions) {
  if (typeof text !== "string") throw new TypeError("text must be a string");
  const length = text.length > 4 * grammar.max_length ? text.length : Array.from(text).length;
  if (length > grammar.max_length) {
    throw new AnswerError(
      "length",
      `it is ${length} characters long; answers are limited to ${grammar.max_length}`,
    );
  }
  const { source, where } = prepare(text, grammar);
  const tokens = tokenize(source, where, grammar);
  if (!tokens.length) throw new AnswerError("empty", "it is empty");
  for (const [kind, tok, pos] of tokens) {
    if (kind === "name" && tok.includes("__")) {
      throw new AnswerError("name", "names with double underscores are not allowed", pos);
    }
  }
  checkParentheses(tokens, grammar);
  const symbolsList = [...names].sort().join(", ") || "(none)";
  const functionsList = [...functions.keys()].sort().join(", ");
  const binary = new Map(Object.entries(grammar.binary));
  const unaryOps = new Map(Object.entries(grammar.unary));
  const powerOps = new Set(grammar.power);
  const state = { i: 0, depth: 0, powers: 0 };

  const peek = () => (state.i < tokens.length ? tokens[state.i] : null);
  const advance = () => tokens[state.i++];
  const unexpected = (tok) => {
    if (tok === null) {
      throw new AnswerError("syntax", "it is not a formula: it ends where an operand is missing");
    }
    throw new AnswerError(
      "syntax",
      `it is not a formula: unexpected ${quote(tok[1])} at position ${tok[2]}`,
      tok[2],
    );
  };
  const deeper = () => {
    state.depth += 1;
    if (state.depth > grammar.max_depth) {
      throw new AnswerError("nesting", "it is too deeply nested");
    }
  };
  const canonical = (t) => (t.endsWith("'") ? t.slice(0, -1) + grammar.prime_suffix : t);

  // A node is [evaluate(point) → number, constant value or null].
  function makeBinary(op, left, right) {
    const [lf, lval] = left;
    const [rf, rval] = right;
    if (op === "pow" && rval !== null) {
      if (!Number.isFinite(rval) || Math.abs(rval) > grammar.max_exponent) {
        throw new AnswerError("exponent", `an exponent is larger than ${grammar.max_exponent}`);
      }
      if (
        lval !== null &&
        Math.abs(lval) > 1 &&
        Math.abs(rval) * Math.log10(Math.abs(lval)) > grammar.max_power_digits
      ) {
        throw new AnswerError("too_large", "a power is too large to compute");
      }
    }
    let value = null;
    if (lval !== null && rval !== null) {
      value = jsFloat(op, lval, rval);
      checkConstant(value);
    }
    return [(p) => jsFloat(op, lf(p), rf(p)), value];
  }

  function expression() {
    let left = term();
    for (let tok = peek(); tok !== null && (tok[1] === "+" || tok[1] === "-"); tok = peek()) {
      advance();
      left = makeBinary(binary.get(tok[1]).op, left, term());
    }
    return left;
  }

  function term() {
    let left = unary();
    for (let tok = peek(); tok !== null && (tok[1] === "*" || tok[1] === "/"); tok = peek()) {
      advance();
      left = makeBinary(binary.get(tok[1]).op, left, unary());
    }
    return left;
  }

  function unary() {
    const tok = peek();
    if (tok !== null && tok[0] === "op" && unaryOps.has(tok[1])) {
      advance();
      deeper();
      const [f, value] = unary();
      state.depth -= 1;
      const op = unaryOps.get(tok[1]);
      return [(p) => jsFloat(op, f(p)), value === null ? null : jsFloat(op, value)];
    }
    return power();
  }

  function power() {
    const base = atom();
    const tok = peek();
    if (tok !== null && powerOps.has(tok[1])) {
      advance();
      state.powers += 1;
      if (state.powers > grammar.max_power_nesting) {
        throw new AnswerError(
          "power_nesting",
          `powers are nested more than ${grammar.max_power_nesting} deep`,
        );
      }
      deeper();
      const exponent = unary();
      state.depth -= 1;
      state.powers -= 1;
      return makeBinary("pow", base, exponent);
    }
    return base;
  }

  function atom() {
    const tok = peek();
    if (tok === null) unexpected(null);
    const [kind, text_, pos] = tok;
    if (kind === "number") {
      advance();
      const value = Number(text_);
      if (!Number.isFinite(value)) throw new AnswerError("too_large", "a number is too large", pos);
      const nxt = peek();
      if (nxt !== null && (nxt[0] === "number" || nxt[0] === "name" || nxt[1] === "(")) {
        throw new AnswerError(
          "product",
          `a number is followed by ${quote(nxt[1])} at position ${nxt[2]}: ` +
            "write products with *, e.g. 2*x rather than 2x",
          nxt[2],
        );
      }
      return [() => value, value];
    }
    if (kind === "name") {
      advance();
      const name = canonical(text_);
      const nxt = peek();
      if (nxt !== null && nxt[1] === "(") {
        if (!functions.has(name)) {
          throw new AnswerError(
            "unknown_function",
            `unknown function ${quote(name)}; the functions you may use are ${functionsList}`,
            pos,
          );
        }
        advance();
        deeper();
        const args = [expression()];
        for (let sep = peek(); sep !== null && sep[1] === ","; sep = peek()) {
          advance();
          args.push(expression());
        }
        const close = peek();
        if (close === null || close[1] !== ")") unexpected(close);
        advance();
        state.depth -= 1;
        if (args.length !== 1) {
          throw new AnswerError(
            "arguments",
            `${name} was given ${args.length} arguments; it takes one`,
            pos,
          );
        }
        const [f, value] = args[0];
        const { kind: fkind, of } = functions.get(name);
        let out = null;
        if (value !== null && FOLDED.has(fkind)) {
          out = jsFloat(fkind, value);
          checkConstant(out);
        }
        if (fkind === "generic" || fkind === "generic_prime") {
          return [(p) => generic(fkind, p.params.get(of), f(p)), out];
        }
        return [(p) => jsFloat(fkind, f(p)), out];
      }
      if (names.has(name)) return [(p) => p.values.get(name), null];
      if (functions.has(name)) {
        throw new AnswerError("not_called", `${name} is a function: write ${name}(...)`, pos);
      }
      throw new AnswerError(
        "unknown_name",
        `unknown name ${quote(name)}; the symbols you may use are ${symbolsList}`,
        pos,
      );
    }
    if (text_ === "(") {
      advance();
      deeper();
      const inner = expression();
      const close = peek();
      if (close === null || close[1] !== ")") unexpected(close);
      advance();
      state.depth -= 1;
      return inner;
    }
    return unexpected(tok);
  }

  const [evaluate] = expression();
  if (state.i < tokens.length) unexpected(tokens[state.i]);
  return evaluate;
}

// ------------------------------------------------------------------ judging

/** The spec's plain objects as Maps and Sets (built once per box). */
export function prepareSpec(spec) {
  return {
    ...spec,
    nameSet: new Set(spec.names),
    functionMap: new Map(Object.entries(spec.functions)),
    pointMaps: spec.points.map((pt) => ({
      values: new Map(Object.entries(pt.values)),
      params: new Map(Object.entries(pt.params)),
    })),
  };
}

function close(got, want, rtol, atol) {
  return (
    Number.isFinite(got) &&
    Math.abs(got - want) <= rtol * Math.max(Math.abs(got), Math.abs(want)) + atol
  );
}

function dependsOn(evaluate, points, name, rtol) {
  for (const pt of points.slice(0, 3)) {
    const v = pt.values.get(name);
    const moved = { values: new Map(pt.values), params: pt.params };
    moved.values.set(name, v + 0.37 * (1 + Math.abs(v)));
    const a = evaluate(pt);
    const b = evaluate(moved);
    if (Number.isFinite(a) !== Number.isFinite(b)) return true;
    if (Number.isFinite(a) && !close(b, a, rtol, 1e-12)) return true;
  }
  return false;
}

/**
 * Judge a typed answer against a prepared spec: {verdict, message}. Right: it equals
 * the expected values at every point (relative tolerance spec.rtol); wrong: with the
 * hint of the tempting answer it equals, or a neutral "Not quite" naming a symbol it
 * treats wrongly when that is certain; unreadable: why, and where.
 */
export function judge(text, spec) {
  const parsed = parseAnswer(text, spec.grammar, spec.nameSet, spec.functionMap);
  if (!parsed.ok) {
    return { verdict: "unreadable", message: `Cannot read this: ${parsed.message}.` };
  }
  const got = spec.pointMaps.map((pt) => parsed.evaluate(pt));
  if (got.every((v) => !Number.isFinite(v))) {
    return {
      verdict: "unreadable",
      message: "Cannot read this: it divides by zero or is infinite.",
    };
  }
  const matches = (want) => got.every((v, i) => close(v, want[i], spec.rtol, spec.atol));
  if (matches(spec.expected)) return { verdict: "right", message: "Right." };
  for (const t of spec.tempting) {
    if (matches(t.values)) return { verdict: "wrong", message: `Not quite: ${t.hint}` };
  }
  for (const [name, needed] of Object.entries(spec.needs || {})) {
    const depends = dependsOn(parsed.evaluate, spec.pointMaps, name, spec.rtol);
    if (needed && !depends) {
      return { verdict: "wrong", message: `Not quite: your answer does not depend on ${name}.` };
    }
    if (!needed && depends) {
      return {
        verdict: "wrong",
        message: `Not quite: your answer depends on ${name}, and the right one does not.`,
      };
    }
  }
  return { verdict: "wrong", message: "Not quite. Try again, or open the solution." };
}
