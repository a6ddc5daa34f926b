# The option tables (grader --dump-options) against the manual and the bash
# completion, both ways, so neither can drift from what the parser takes:
# - every option of a command is in the man page's section for that
#   command, and every option a tag (.TP) of that section names is one the
#   command takes;
# - the completion offers exactly the command's options (deprecated
#   spellings left out), and completes no file after an option taking a
#   value: each such option is in its `case $prev` list, and that list
#   names only options that take one; a choice (--format, --lms...)
#   completes to exactly its values.
# Deprecated spellings need not be documented, but may be.
. "$(dirname "$0")/lib.sh"

MAN=${OPTIONS_MAN:-$SRC/man/grader.1}
COMPLETION=${OPTIONS_COMPLETION:-$SRC/contrib/grader.bash}
expect_status 0 "$G" --dump-options
cp "$T/out" "$T/table"
[ "$(cut -f1 "$T/table" | sort -u | wc -l)" -eq 8 ] || fail "--dump-options: not 8 commands"
grep -q "^fetch	--submissions	-	DIR	ok	-$" "$T/table" || fail "--dump-options: no fetch --submissions"
expect_status 0 "$G" --help
expect_not_in "$T/out" "dump-options" # hidden

python3 - "$T/table" "$MAN" "$COMPLETION" <<'PY' || fail "the man page or the completion differs from the option tables"
import re, sys
table, man, comp = sys.argv[1:4]
import subprocess
opts = {}  # command -> [(long or None, short or None, takes_value, deprecated)]
choices = {}  # (command, option) -> the values it takes, for a choice
for line in open(table):
    cmd, long, short, arg, state, values = line.rstrip("\n").split("\t")
    opts.setdefault(cmd, []).append((None if long == "-" else long, None if short == "-" else short,
                                     arg != "-", state == "deprecated"))
    if values != "-" and state != "deprecated":
        choices[(cmd, long)] = set(values.split())
problems = []

def options_in(text):
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])", text))

def roff(text):
    text = re.sub(r"\\f[BIRP]", "", text)
    return text.replace("\\-", "-").replace("\\(em", " ")

# The man page: one section per command.
sections, cur = {}, None
for line in open(man):
    m = re.match(r'\.SS "grader (\w+)', line)
    if m:
        cur = m.group(1)
        sections[cur] = []
    elif re.match(r"\.S[HS]", line):
        cur = None
    elif cur:
        sections[cur].append(line)
for cmd, entries in sorted(opts.items()):
    spell = {o for e in entries for o in e[:2] if o}
    lines = sections.get(cmd)
    if lines is None:
        problems.append("man: no section .SS \"grader %s\"" % cmd)
        continue
    text = roff("".join(lines))
    found = options_in(text)
    for long, short, _, deprecated in entries:
        for o in (long, short):
            if o and not deprecated and o not in ("--help", "-h") and o not in found:
                problems.append("man: grader %s: %s is not in its section" % (cmd, o))
    tags = set()
    for i, line in enumerate(lines[:-1]):
        if line.startswith(".TP"):
            tag = roff(lines[i + 1])
            tags |= options_in(tag)
            for o in options_in(tag):  # a choice's values in its tag
                missing = choices.get((cmd, o), set()) - set(re.findall(r"[\w-]+", tag))
                if missing:
                    problems.append("man: grader %s: %s lacks %s" % (cmd, o, " ".join(sorted(missing))))
    for o in sorted(tags - set(spell)):
        problems.append("man: grader %s: %s is documented but not an option of it" % (cmd, o))

# The completion: each command's list, and the options that take a value.
src = open(comp).read()
lists = dict(re.findall(r'^\s*(\w+)\) opts="([^"]*)"', src, re.M))
for cmd, entries in sorted(opts.items()):
    if cmd not in lists:
        problems.append("completion: no opts list for %s" % cmd)
        continue
    offered = set(lists[cmd].split())
    # each option by its long name (by its letter when it has none); the
    # letter of one with a long name may be offered too
    want = {long or short for long, short, _, deprecated in entries if not deprecated}
    also = {short for long, short, _, deprecated in entries if short and not deprecated}
    for o in sorted(want - offered):
        problems.append("completion: grader %s: %s is not offered" % (cmd, o))
    old = {o for e in entries for o in e[:2] if o and e[3]}
    for o in sorted(offered - want - also):
        problems.append("completion: grader %s: %s is offered but %s" % (
            cmd, o, "deprecated" if o in old else "not an option of it"))
prev = re.search(r"case \$prev in(.*?)\n\s*esac", src, re.S).group(1)
named = set()
for pattern in re.findall(r"^\s*([-\w|\\\s]+)\)", prev, re.M):
    named |= {p.strip(" \\\n") for p in pattern.split("|") if p.strip(" \\\n")}
valued = {o for es in opts.values() for e in es for o in e[:2] if o and e[2]}
flags = {o for es in opts.values() for e in es for o in e[:2] if o and not e[2]}
for cmd, entries in sorted(opts.items()):
    for long, short, takes, deprecated in entries:
        for o in (long, short):
            if o and takes and not deprecated and o not in named:
                problems.append("completion: grader %s %s takes a value but is not in case $prev"
                                % (cmd, o))
for o in sorted(named - valued):
    problems.append("completion: case $prev names %s, %s" % (
        o, "which takes no value" if o in flags else "which no command takes"))
# A choice completes to its values: ask the completion itself.
for (cmd, opt), values in sorted(choices.items()):
    got = subprocess.run(
        ["bash", "-c", '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _grader; '
         'printf "%s\\n" "${COMPREPLY[@]}"', "sh", comp, "grader", cmd, opt, ""],
        capture_output=True, text=True).stdout.split()
    if set(got) != values:
        problems.append("completion: grader %s %s completes to %s, not %s" % (
            cmd, opt, " ".join(sorted(got)) or "nothing", " ".join(sorted(values))))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY

# The test itself fails on drift: one option taken out of the man page, or
# out of the completion, or one the table lacks added to either.
[ "${1:-}" = --inner ] && exit 0
# drifted VAR SED-SCRIPT SAID: this test on a copy of the file VAR names
# (MAN or COMPLETION) edited by SED-SCRIPT must fail and say SAID.
drifted() {
    eval "sed \"\$2\" \"\$$1\"" >"$T/drifted"
    if env "OPTIONS_$1=$T/drifted" sh "$0" --inner >"$T/drift" 2>&1; then
        fail "$1 edited by '$2' passed"
    fi
    expect_in "$T/drift" "$3"
}
drifted MAN '/^\.BI \\-\\-retries " N"$/d; s/\\fB\\-\\-retries\\fR, //' \
    "man: grader grade: --retries is not in its section"
drifted COMPLETION 's/--shard --quiet --verbose --help" ;;/--shard --verbose --help" ;;/' \
    "completion: grader fetch: --quiet is not offered"
drifted COMPLETION 's/        collect) opts="--reviews/        collect) opts="--bogus --reviews/' \
    "completion: grader collect: --bogus is offered but not an option of it"
drifted COMPLETION 's/compgen -W "grade flag zero"/compgen -W "grade flag"/' \
    "completion: grader grade --misnamed completes to flag grade, not flag grade zero"
drifted MAN 's/grade|flag|zero/grade|flag/' "man: grader grade: --misnamed lacks zero"
