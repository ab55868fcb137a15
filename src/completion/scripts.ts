/**
 * Shell scripts printed by `kubectl multus completion <shell>`. Each one asks the plugin itself
 * (`kubectl-multus __complete …`, the same protocol kubectl uses with `kubectl_complete-multus`),
 * so there is one completion engine and the scripts only translate its answer for the shell:
 * drop the `:<directive>` line, honour no-space (2) and no-file-completion (4).
 */
export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];

const KUBECTL_NOTE = (
  c: string,
) => `${c} For \`kubectl multus <TAB>\` (kubectl >= 1.26), enable kubectl's own completion and put the
${c} \`kubectl_complete-multus\` helper (shipped in the release archive and the npm package) on PATH.`;

const bash = `# bash completion for kubectl-multus
# Load it with:  source <(kubectl-multus completion bash)
${KUBECTL_NOTE('#')}
__kubectl_multus_complete() {
    local line="\${COMP_LINE:0:COMP_POINT}" out directive c prefix=""
    local -a words cands
    read -r -a words <<< "$line"
    # A trailing space means a new, empty word is being completed.
    [[ "$line" =~ [[:space:]]$ ]] && words+=("")
    out=$(kubectl-multus __complete "\${words[@]:1}" 2>/dev/null) || return 0
    directive=\${out##*:}
    out=\${out%:*}
    # bash splits words at '=' and ':' (COMP_WORDBREAKS): answer only the part bash will replace.
    local full="\${words[\${#words[@]}-1]}" part="\${COMP_WORDS[COMP_CWORD]}"
    [[ "$full" == *"$part" ]] && prefix="\${full:0:\${#full}-\${#part}}"
    while IFS= read -r c; do
        [[ -z "$c" ]] && continue
        c="\${c%%$'\\t'*}"
        cands+=("\${c#"$prefix"}")
    done <<< "$out"
    if (( \${#cands[@]} == 0 )); then
        (( directive & 4 )) || COMPREPLY=($(compgen -f -- "$part"))
        return 0
    fi
    (( directive & 2 )) && compopt -o nospace 2>/dev/null
    COMPREPLY=("\${cands[@]}")
}
complete -o default -F __kubectl_multus_complete kubectl-multus
`;

const zsh = `#compdef kubectl-multus
# zsh completion for kubectl-multus
# Load it with:  source <(kubectl-multus completion zsh)   (after compinit)
${KUBECTL_NOTE('#')}
_kubectl_multus() {
    local out directive l
    local -a lines cands
    out=$(kubectl-multus __complete "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
    lines=("\${(@f)out}")
    directive=\${lines[-1]#:}
    lines=("\${(@)lines[1,-2]}")
    for l in $lines; do
        [[ -z "$l" ]] && continue
        if [[ "$l" == *$'\\t'* ]]; then
            cands+=("\${\${l%%$'\\t'*}//:/\\\\:}:\${l#*$'\\t'}")
        else
            cands+=("\${l//:/\\\\:}")
        fi
    done
    if (( \${#cands} )); then
        if (( directive & 2 )); then _describe -t values 'values' cands -S ''; else _describe -t values 'values' cands; fi
    elif (( ! (directive & 4) )); then
        _files
    fi
}
if [[ "\${funcstack[1]}" == "_kubectl_multus" ]]; then _kubectl_multus "$@"; else compdef _kubectl_multus kubectl-multus; fi
`;

const fish = `# fish completion for kubectl-multus
# Load it with:  kubectl-multus completion fish | source
${KUBECTL_NOTE('#')}
function __kubectl_multus_complete
    set -l args (commandline -opc)[2..-1]
    set -l cur (commandline -ct)
    set -l out (kubectl-multus __complete $args $cur 2>/dev/null)
    or return
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    # fish shows "value<TAB>description" natively.
    printf '%s\\n' $out
    if test (count $out) -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path $cur
    end
end
complete -c kubectl-multus -f -a '(__kubectl_multus_complete)'
`;

const powershell = `# PowerShell completion for kubectl-multus
# Load it with:  kubectl-multus completion powershell | Out-String | Invoke-Expression
${KUBECTL_NOTE('#')}
Register-ArgumentCompleter -Native -CommandName 'kubectl-multus', 'kubectl-multus.exe' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.Extent.Text })
    if ($wordToComplete -eq '') {
        # Before PowerShell 7.3 an empty argument is dropped on the way to a native program.
        if ($PSVersionTable.PSVersion -ge [version]'7.3') { $words += '' } else { $words += '""' }
    }
    $out = @(& kubectl-multus __complete @words 2>$null)
    if ($out.Count -eq 0) { return }
    $directive = [int]($out[-1].TrimStart(':'))
    $cands = if ($out.Count -gt 1) { $out[0..($out.Count - 2)] } else { @() }
    foreach ($l in $cands) {
        if (-not $l) { continue }
        $parts = $l -split "\`t", 2
        $desc = if ($parts.Count -gt 1 -and $parts[1]) { $parts[1] } else { $parts[0] }
        [System.Management.Automation.CompletionResult]::new($parts[0], $parts[0], 'ParameterValue', $desc)
    }
    if ($cands.Count -eq 0 -and -not ($directive -band 4)) {
        Get-ChildItem -Path "$wordToComplete*" -ErrorAction SilentlyContinue | ForEach-Object {
            [System.Management.Automation.CompletionResult]::new($_.Name, $_.Name, 'ProviderItem', $_.Name)
        }
    }
}
`;

export function completionScript(shell: Shell): string {
  return { bash, zsh, fish, powershell }[shell];
}

/**
 * The \`kubectl_complete-multus\` helper kubectl runs for \`kubectl multus <TAB>\`: it forwards the
 * words to the plugin found on PATH, so one copy keeps working across upgrades.
 */
export const UNIX_HELPER = `#!/bin/sh
# kubectl (>= 1.26) runs this for \`kubectl multus <TAB>\`; keep it on PATH next to kubectl-multus.
exec kubectl-multus __complete "$@"
`;

export const WINDOWS_HELPER = `@echo off\r
rem kubectl (>= 1.26) runs this for "kubectl multus <TAB>"; keep it on PATH next to kubectl-multus.exe.\r
kubectl-multus.exe __complete %*\r
`;
