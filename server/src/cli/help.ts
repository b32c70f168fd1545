/**
 * The usage texts of `kpath --help`, `kpath check --help` and `kpath lsp --help`. Kept apart from
 * the code that parses and runs so that they read as the manual they are (docs/cli.md says the same
 * at more length).
 */
import { RULE_IDS } from '../engine/index';

export const MAIN_HELP = `\
kpath - find blocking calls under spinlocks and kmap serie violations in Linux kernel C

Usage:
  kpath check [options] PATH...          analyse C files and directories, print the findings
  kpath simulate FILE:LINE [options] ... replay the finding at FILE:LINE with concurrent tasks
  kpath lsp --stdio                      run the language server on stdin/stdout (for editors)
  kpath --help | --version

Run 'kpath <command> --help' for the options of a command.

Exit codes (check):
  0  no findings
  1  findings reported
  2  usage error, or an input error (unreadable, binary or non-UTF-8 file, bad .kpath.json)
  3  internal error (a bug in kpath)
`;

export const CHECK_HELP = `\
Usage: kpath check [options] PATH...

Analyses every PATH: a C file, or a directory searched recursively for *.c files, with the
headers they include (for their static inline functions). Functions are followed across all the
files given, so give the caller's file too (kernel/fork.c with mm/memory.c).

Options:
  -f, --format FORMAT   text (default), json or sarif
      --rule ID         report only this rule; repeat or separate with commas for several
      --disable ID      never report this rule; repeat or separate with commas for several
      --config FILE     read settings from FILE instead of the nearest .kpath.json found
                        in the current directory or one of its parents
      --cache DIR       keep lowered files and the analysed program in DIR: a later run
                        re-analyses only what changed since
  -j, --workers N       parse with N worker threads (default: one per CPU)
      --no-includes     do not analyse the headers the files include (by default they are
                        found as kbuild does for x86: see "includes" in docs/configuration.md)
  -q, --quiet           text: print only findings and errors (no notes, fixes, summary or
                        progress); json and sarif: no progress
  -h, --help            print this help

Rules: ${RULE_IDS.join(', ')}
  (each is documented in docs/rules/<rule>.md; severities and 'off' come from .kpath.json)

Formats:
  text    compiler style, one line per finding, then the path that leads to it as notes:
            mm/memory.c:40:13: warning: pte_offset2() may block ... [sleep-in-atomic]
            kernel/fork.c:26:3: note: 'mm->page_table_lock' taken here
              fix: Use pte_offset_atomic2() (does not block)
            mm/memory.c: error: not valid UTF-8 (byte 0xff at offset 12)
            1 finding (1 sleep-in-atomic) in 2 files
          make, vim's quickfix (:cfile, :make) and CI logs jump to each location.
          Colour only when stdout is a terminal and NO_COLOR is not set.
  json    {"version":1,"findings":[{"rule","severity","message","file","line","column",
          "endLine","endColumn","path":[{"file","line","column","message",...}],
          "fixes":[{"title","edits":[{"file","line","column","endLine","endColumn",
          "newText"}]}]}],"errors":[{"file","message"}]}
          Lines and columns are 1-based; columns count UTF-16 code units.
  sarif   SARIF 2.1.0 for GitHub code scanning and SARIF viewers: the path as a codeFlow,
          fixes as fixes, file URIs relative to the current directory (%SRCROOT%).

Exit codes:
  0  no findings and no errors
  1  findings reported, no errors
  2  usage error, or an input error: a PATH that does not exist, an unreadable, binary,
     oversized or non-UTF-8 file, a bad .kpath.json. The findings in the other files are
     still printed; an error takes precedence over findings in the exit code.
  3  internal error (a bug in kpath)

Examples:
  kpath check kernel/fork.c mm/
  kpath check --rule sleep-in-atomic --format json drivers/net/ > findings.json
  kpath check --format sarif . > kpath.sarif      (upload with github/codeql-action/upload-sarif)
  vim -q <(kpath check mm/)                       (or :set makeprg=kpath\\ check\\ % then :make)
`;

export const LSP_HELP = `\
Usage: kpath lsp [--stdio] [--cache DIR]

Runs kpath's language server over stdin and stdout (the only transport) until the client
exits. Configure your editor to start 'kpath lsp --stdio' for C files; diagnostics carry the
path as related information and the fixes as code actions.

Options:
      --stdio       talk LSP on stdin/stdout (the default)
      --cache DIR   keep the IR of workspace files in DIR (the same cache as 'kpath check
                    --cache'): a restart parses only files whose bytes changed. A client's
                    initializationOptions.cacheDir takes precedence.
  -h, --help        print this help
`;
