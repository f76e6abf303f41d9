"""gha_expr.py: GitHub Actions expressions (`${{ ... }}`), evaluated the way
the runner does, for the local workflow runner (local_runner.py) and the
static checks (check_workflows.py).

What is implemented is what the documentation of "Expressions" specifies:
literals (null, booleans, numbers, 'strings' with '' for a quote),
contexts with property (`a.b`) and index (`a['b']`) access, case-insensitive
property names, the operators ( ) [ ] . ! < <= > >= == != && ||, loose
equality (different types compare as numbers, strings ignoring case),
&& and || returning an operand, and the functions contains, startsWith,
endsWith, format, join, toJSON, fromJSON, hashFiles and the status checks
(success, always, cancelled, failure), whose answers the caller supplies.
"""
import json
import math
import re

TOKEN = re.compile(r"""\s*(?:
    (?P<num>0x[0-9a-fA-F]+|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<str>'(?:[^']|'')*')
  | (?P<op>==|!=|<=|>=|&&|\|\||[()\[\].,!<>*])
  | (?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
)""", re.X)

STATUS_FUNCTIONS = ("success", "always", "cancelled", "failure")


class ExprError(Exception):
    pass


def tokenize(text):
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExprError("cannot read %r at %d" % (text, pos))
        pos = m.end()
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
    return out


# ---- parsing into a small tree ----------------------------------------------
# ("lit", value) ("ctx", name) ("prop", node, name) ("index", node, node)
# ("call", name, [args]) ("not", node) ("bin", op, a, b)

class Parser:
    def __init__(self, text):
        self.toks = tokenize(text)
        self.i = 0
        self.text = text

    def peek(self, value=None):
        if self.i >= len(self.toks):
            return None
        t = self.toks[self.i]
        return t if value is None or t[1] == value else None

    def take(self, value=None):
        t = self.peek(value)
        if t is None:
            raise ExprError("expected %s in %r" % (value or "more", self.text))
        self.i += 1
        return t

    def parse(self):
        node = self.or_()
        if self.i != len(self.toks):
            raise ExprError("unexpected %r in %r" % (self.toks[self.i][1], self.text))
        return node

    def or_(self):
        node = self.and_()
        while self.peek("||"):
            self.take()
            node = ("bin", "||", node, self.and_())
        return node

    def and_(self):
        node = self.cmp()
        while self.peek("&&"):
            self.take()
            node = ("bin", "&&", node, self.cmp())
        return node

    def cmp(self):
        node = self.unary()
        t = self.peek()
        if t and t[1] in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            node = ("bin", t[1], node, self.unary())
        return node

    def unary(self):
        if self.peek("!"):
            self.take()
            return ("not", self.unary())
        return self.postfix()

    def postfix(self):
        node = self.primary()
        while True:
            if self.peek("."):
                self.take()
                t = self.take()
                if t[1] == "*":
                    node = ("star", node)
                elif t[0] != "ident":
                    raise ExprError("a property name after '.' in %r" % self.text)
                else:
                    node = ("prop", node, t[1])
            elif self.peek("["):
                self.take()
                idx = self.or_()
                self.take("]")
                node = ("index", node, idx)
            else:
                return node

    def primary(self):
        t = self.take()
        kind, v = t
        if kind == "num":
            return ("lit", float(int(v, 16)) if v.startswith("0x") else float(v))
        if kind == "str":
            return ("lit", v[1:-1].replace("''", "'"))
        if v == "(":
            node = self.or_()
            self.take(")")
            return node
        if kind == "ident":
            low = v.lower()
            if low in ("true", "false"):
                return ("lit", low == "true")
            if low == "null":
                return ("lit", None)
            if self.peek("("):
                self.take()
                args = []
                if not self.peek(")"):
                    args.append(self.or_())
                    while self.peek(","):
                        self.take()
                        args.append(self.or_())
                self.take(")")
                return ("call", low, args)
            return ("ctx", v)
        raise ExprError("unexpected %r in %r" % (v, self.text))


def parse(text):
    return Parser(text).parse()


# ---- values ------------------------------------------------------------------

def truthy(v):
    if v is None or v is False:
        return False
    if isinstance(v, float):
        return v != 0 and not math.isnan(v)
    if isinstance(v, str):
        return v != ""
    return True


def to_number(v):
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, float):
        return v
    if isinstance(v, str):
        s = v.strip()
        if s == "":
            return 0.0
        try:
            return float(int(s, 16)) if s.lower().startswith("0x") else float(s)
        except ValueError:
            return math.nan
    return math.nan


def to_string(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, str):
        return v
    return json.dumps(v, indent=2)


def equal(a, b):
    if type(a) is type(b) or (a is None and b is None):
        if isinstance(a, str):
            return a.lower() == b.lower()
        if isinstance(a, (dict, list)):
            return a is b
        return a == b
    return to_number(a) == to_number(b)


def compare(op, a, b):
    if op == "==":
        return equal(a, b)
    if op == "!=":
        return not equal(a, b)
    if isinstance(a, str) and isinstance(b, str):
        x, y = a.lower(), b.lower()
    else:
        x, y = to_number(a), to_number(b)
        if math.isnan(x) or math.isnan(y):
            return False
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


def get_prop(obj, name):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k.lower() == name.lower():
                return v
    return None


def to_value(v):
    """Python data -> expression values (numbers are floats)."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, dict):
        return {k: to_value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_value(x) for x in v]
    return str(v)


class Evaluator:
    """contexts: dict name -> value; status: dict of the status functions'
    answers; hash_files: a function for hashFiles."""

    def __init__(self, contexts, status=None, hash_files=None):
        self.contexts = contexts
        self.status = status or {}
        self.hash_files = hash_files

    def eval(self, node):
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "ctx":
            name = node[1].lower()
            for k, v in self.contexts.items():
                if k.lower() == name:
                    return v
            raise ExprError("unknown context %r" % node[1])
        if kind == "prop":
            return get_prop(self.eval(node[1]), node[2])
        if kind == "index":
            obj, idx = self.eval(node[1]), self.eval(node[2])
            if isinstance(obj, list):
                n = to_number(idx)
                return obj[int(n)] if not math.isnan(n) and 0 <= n < len(obj) else None
            return get_prop(obj, to_string(idx))
        if kind == "star":
            obj = self.eval(node[1])
            if isinstance(obj, dict):
                return list(obj.values())
            return list(obj) if isinstance(obj, list) else []
        if kind == "not":
            return not truthy(self.eval(node[1]))
        if kind == "bin":
            op = node[1]
            if op == "&&":
                a = self.eval(node[2])
                return self.eval(node[3]) if truthy(a) else a
            if op == "||":
                a = self.eval(node[2])
                return a if truthy(a) else self.eval(node[3])
            return compare(op, self.eval(node[2]), self.eval(node[3]))
        if kind == "call":
            return self.call(node[1], [self.eval(a) for a in node[2]])
        raise ExprError("bad node %r" % (node,))

    def call(self, name, args):
        if name in STATUS_FUNCTIONS:
            if name not in self.status:
                raise ExprError("%s() is not available here" % name)
            return self.status[name]
        if name == "contains":
            hay, needle = args
            if isinstance(hay, list):
                return any(equal(x, needle) for x in hay)
            return to_string(needle).lower() in to_string(hay).lower()
        if name == "startswith":
            return to_string(args[0]).lower().startswith(to_string(args[1]).lower())
        if name == "endswith":
            return to_string(args[0]).lower().endswith(to_string(args[1]).lower())
        if name == "format":
            fmt = to_string(args[0])
            out = re.sub(r"\{(\d+)\}", lambda m: to_string(args[1 + int(m.group(1))]), fmt)
            return out.replace("{{", "{").replace("}}", "}")
        if name == "join":
            sep = to_string(args[1]) if len(args) > 1 else ","
            return sep.join(to_string(x) for x in args[0]) if isinstance(args[0], list) else to_string(args[0])
        if name == "tojson":
            return json.dumps(args[0], indent=2)
        if name == "fromjson":
            return to_value(json.loads(to_string(args[0])))
        if name == "hashfiles":
            if self.hash_files is None:
                raise ExprError("hashFiles() is not available here")
            return self.hash_files([to_string(a) for a in args])
        raise ExprError("unknown function %s()" % name)


TEMPLATE = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def substitute(text, evaluator):
    """A string with ${{ expr }} parts -> the string with their values."""
    return TEMPLATE.sub(lambda m: to_string(evaluator.eval(parse(m.group(1)))), text)


def condition_source(cond):
    """The expression of an `if:` (with or without ${{ }})."""
    if isinstance(cond, bool):
        return "true" if cond else "false"
    text = str(cond).strip()
    m = re.fullmatch(r"\$\{\{(.*)\}\}", text, re.S)
    return m.group(1).strip() if m else text


def uses_status_function(source):
    return any(n for n in parse_calls(parse(source)) if n in STATUS_FUNCTIONS)


def parse_calls(node):
    """Names of the functions a tree calls."""
    out = []
    if node[0] == "call":
        out.append(node[1])
        for a in node[2]:
            out += parse_calls(a)
    else:
        for child in node[1:]:
            if isinstance(child, tuple):
                out += parse_calls(child)
    return out


def references(node):
    """Every context path a tree reads, as tuples: ('needs', 'plan',
    'outputs', 'shards'); an index by a literal counts as a property."""
    out = []

    def path(n):
        if n[0] == "ctx":
            return (n[1].lower(),)
        if n[0] == "prop":
            p = path(n[1])
            return p + (n[2],) if p else None
        if n[0] == "index" and n[2][0] == "lit" and isinstance(n[2][1], str):
            p = path(n[1])
            return p + (n[2][1],) if p else None
        return None

    def walk(n):
        p = path(n)
        if p:
            out.append(p)
            return
        for child in n[1:]:
            if isinstance(child, tuple):
                walk(child)
            elif isinstance(child, list):
                for c in child:
                    walk(c)

    walk(node)
    return out


def template_sources(text):
    """The expressions inside a string's ${{ }} parts."""
    return [m.group(1) for m in TEMPLATE.finditer(text)]
