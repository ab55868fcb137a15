/**
 * The one fixed POSIX sh script that inspects a node, run as `sh -c SCRIPT sh 1 / ROOT CAP OP PATH ...`.
 *
 * Every path it touches arrives as an argument (already translated to the container's view), so
 * no shell text is ever built from cluster data, and a test harness can relocate every path by
 * rewriting the argv. It relies only on sh builtins plus `ls`, `base64` (or `od`) and, when
 * present, `ip`; sysfs attributes are read with the `read` builtin so a node costs a handful of
 * processes, not one per file. Works with busybox sh, dash and bash (no bashisms).
 *
 * Arguments: `1` (protocol), `/` (the container's root: absolute symlink targets are read relative
 * to it), ROOT (prefix under which absolute symlink targets are resolved: `/host` in the
 * node-inspector pod, empty in the multus pod), CAP (largest file read, bytes),
 * then pairs OP PATH:
 *   L dir  list          C dir  list + read CNI config files    A dir  list + read every file
 *   F file read          P path does it exist                    N dir  interfaces from sysfs
 *   I -    `ip -o addr`, and `ip -o link` when sysfs showed no interface
 *   R dir  container runtime processes under a /proc seen through the host PID namespace: each
 *          containerd/crio process's command line, then every absolute *.toml/*.conf file it
 *          names (read under ROOT, as `B k <status> <path>` records)
 * Output (one record per line; the op index k counts pairs from 0; names come last on a line):
 *   KMI 1 <b64|hex|none>          D k <exists|missing|notdir|unreadable>
 *   E k <t><x><e> <size|-> <name> (t: f d l o; x: executable; e: resolves)   T k <symlink target>
 *   B k <ok|missing|dangling|notfile|unreadable|toolarge|noencoder> [name]  then, after ok,
 *     the encoded content lines and a line `Z`
 *   P k <1|0>   N k <exists|missing>
 *   IF k <name> <operstate> <mtu> <mac> <arptype> <wireless 0|1> <devtype> <bridge|bond|->
 *   R k <pid> <comm>  then the encoded cmdline (NUL-separated) and a line `Z`
 *   KMI-END
 */
const NODE_SCRIPT_PROTOCOL = '1';

const NODE_SCRIPT = `LC_ALL=C; export LC_ALL; unset TIME_STYLE LS_COLORS CLICOLOR_FORCE
[ "$1" = 1 ] || { echo "KMI-ERR protocol $1"; exit 3; }
croot=$2; root=$3; cap=$4; netok=; shift 4
if command -v base64 >/dev/null 2>&1; then enc=b64
elif command -v od >/dev/null 2>&1; then enc=hex
else enc=none; fi
echo "KMI 1 $enc"
enc_file() {
  case $enc in
    b64) base64 "$1" 2>/dev/null || echo '!';;
    hex) od -An -v -tx1 "$1" 2>/dev/null || echo '!';;
  esac
  echo Z
}
enc_in() {
  case $enc in
    b64) base64 2>/dev/null;;
    hex) od -An -v -tx1 2>/dev/null;;
    *) cat >/dev/null;;
  esac
  echo Z
}
readf() {
  if [ ! -e "$3" ]; then
    if [ -L "$3" ]; then echo "B $1 dangling $2"; else echo "B $1 missing $2"; fi
    return
  fi
  if [ ! -f "$3" ]; then echo "B $1 notfile $2"; return; fi
  if [ ! -r "$3" ]; then echo "B $1 unreadable $2"; return; fi
  if [ "$enc" = none ]; then echo "B $1 noencoder $2"; return; fi
  echo "B $1 ok $2"
  enc_file "$3"
}
listd() {
  d=$2
  if [ ! -e "$d" ]; then echo "D $1 missing"; return; fi
  if [ ! -d "$d" ]; then echo "D $1 notdir"; return; fi
  if [ ! -r "$d" ] || [ ! -x "$d" ]; then echo "D $1 unreadable"; return; fi
  echo "D $1 exists"
  ls -lnA "$d/" 2>/dev/null | while read -r perms links uid gid size mon day tm rest; do
    case $perms in
      -*) t=f;; d*) t=d;; l*) t=l;; [ps]*) t=o;;
      *) continue;;
    esac
    [ -n "$rest" ] || continue
    name=$rest; target=
    if [ $t = l ]; then name=\${rest%% -> *}; target=\${rest#* -> }; fi
    p=$d/$name; q=$p; x=-; e=-
    if [ $t = l ]; then
      case $target in "$croot"*) target=/\${target#"$croot"};; esac
      case $target in
        /*) [ -n "$root" ] && q=$root$target;;
        *) # relative link to a link with an absolute target (one level): resolve that under ROOT too
          if [ -n "$root" ] && [ ! -e "$q" ] && [ -L "$d/$target" ]; then
            t2=$(readlink "$d/$target" 2>/dev/null)
            case $t2 in "$croot"*) t2=/\${t2#"$croot"};; esac
            case $t2 in /*) q=$root$t2;; esac
          fi;;
      esac
      [ -e "$q" ] && e=e
      [ -x "$q" ] && [ ! -d "$q" ] && x=x
    else
      e=e
      case $perms in ???[xs]*|??????[xs]*|?????????[xt]*) [ $t = f ] && x=x;; esac
    fi
    echo "E $1 $t$x$e $size $name"
    [ $t = l ] && echo "T $1 $target"
    want=
    case $3 in
      A) want=1;;
      C) case $name in *.conf|*.conflist|*.json|*.cilium_bak|*.bak|*.old|*.new) want=1;; esac;;
    esac
    if [ -n "$want" ] && [ $t != d ]; then
      if [ $t = f ] && [ "$size" -gt "$cap" ] 2>/dev/null; then echo "B $1 toolarge $name"
      else readf "$1" "$name" "$q"; fi
    fi
  done
}
netd() {
  if [ ! -d "$2" ]; then echo "N $1 missing"; return; fi
  echo "N $1 exists"
  for n in "$2"/*; do
    [ -e "$n" ] || continue
    netok=1
    i=\${n##*/}; st=; mtu=; mac=; ty=; dt=; w=0; kind=-
    [ -r "$n/operstate" ] && read -r st < "$n/operstate"
    [ -r "$n/mtu" ] && read -r mtu < "$n/mtu"
    [ -r "$n/address" ] && read -r mac < "$n/address"
    [ -r "$n/type" ] && read -r ty < "$n/type"
    if [ -r "$n/uevent" ]; then
      while IFS='=' read -r key val; do [ "$key" = DEVTYPE ] && dt=$val; done < "$n/uevent"
    fi
    if [ -e "$n/wireless" ] || [ -e "$n/phy80211" ]; then w=1; fi
    [ -d "$n/bridge" ] && kind=bridge
    [ -d "$n/bonding" ] && kind=bond
    echo "IF $1 $i \${st:--} \${mtu:--} \${mac:--} \${ty:--} $w \${dt:--} $kind"
  done
}
ipo() {
  if command -v ip >/dev/null 2>&1; then
    # links only when sysfs showed none: it already gave names, state, MTU, MAC and kind
    if [ -z "$netok" ]; then
      echo "B $1 ok link"; { ip -d -o link show 2>/dev/null || ip -o link show 2>/dev/null; } | enc_in
    fi
    echo "B $1 ok addr"; ip -o addr show 2>/dev/null | enc_in
  else echo "B $1 missing ip"; fi
}
procs() {
  if [ ! -d "$2" ]; then echo "D $1 missing"; return; fi
  echo "D $1 exists"
  for p in "$2"/[0-9]*; do
    [ -r "$p/comm" ] || continue
    c=; read -r c < "$p/comm" 2>/dev/null
    case $c in containerd|crio) ;; *) continue;; esac
    echo "R $1 \${p##*/} $c"
    enc_file "$p/cmdline"
    set -f
    for a in $(tr '\\000' ' ' < "$p/cmdline" 2>/dev/null); do
      case $a in -*=/*) a=\${a#*=};; esac
      case $a in /*.toml|/*.conf) readf "$1" "$a" "$root$a";; esac
    done
    set +f
  done
}
k=0
while [ $# -ge 2 ]; do
  op=$1; a=$2; shift 2
  case $op in
    L|C|A) listd $k "$a" $op;;
    F) readf $k "" "$a";;
    P) if [ -e "$a" ] || [ -L "$a" ]; then echo "P $k 1"; else echo "P $k 0"; fi;;
    N) netd $k "$a";;
    I) ipo $k;;
    R) procs $k "$a";;
  esac
  k=$((k+1))
done
echo KMI-END
`;

export type NodeOp = 'L' | 'C' | 'A' | 'F' | 'P' | 'N' | 'I' | 'R';

/** The argv of one node inspection. `ops[i]` is op index i in the output. */
export function nodeScriptArgv(root: string, capBytes: number, ops: Array<{ op: NodeOp; path: string }>): string[] {
  const argv = ['sh', '-c', NODE_SCRIPT, 'sh', NODE_SCRIPT_PROTOCOL, '/', root, String(capBytes)];
  for (const o of ops) argv.push(o.op, o.path);
  return argv;
}
