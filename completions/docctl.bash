# bash completion for docctl                               -*- shell-script -*-
# Everything is asked of `docctl __complete`: the commands, each command's
# options and operands (from its table in src/cli, so a new option needs
# nothing here), the document ids of the repository, the types and
# people of its policy, and the feedback items a decision can move. Installed into bash-completion's completionsdir, it
# loads the first time docctl is completed.

_docctl_ask()
{
    # quiet outside a controlled repository
    "${COMP_WORDS[0]}" __complete "$@" 2>/dev/null
}

# Completes a value named NAME (an argument name of the tables: ID, FB-ID,
# TYPE, PERSON, REV, DIR, PATH, or choices a|b|c).
_docctl_value()
{
    local name=${1#[}
    name=${name%]}
    name=${name%...}
    case $name in
        *'|'*) COMPREPLY=($(compgen -W "${name//|/ }" -- "$cur")) ;;
        ID) COMPREPLY=($(compgen -W "$(_docctl_ask ids)" -- "$cur")) ;;
        FB-ID) COMPREPLY=($(compgen -W "$(_docctl_ask feedback)" -- "$cur")) ;;
        TYPE) COMPREPLY=($(compgen -W "$(_docctl_ask types)" -- "$cur")) ;;
        PERSON) COMPREPLY=($(compgen -W "$(_docctl_ask people)" -- "$cur")) ;;
        REV) COMPREPLY=($(compgen -W "HEAD $(git for-each-ref --format='%(refname:short)' 2>/dev/null)" -- "$cur")) ;;
        DIR) _filedir -d ;;
        PATH) _filedir md ;;
    esac
}

_docctl()
{
    local cur prev words cword split
    _init_completion -s || return

    if ((cword == 1)); then
        COMPREPLY=($(compgen -W "$(_docctl_ask commands | cut -f1) help --help --version" -- "$cur"))
        return
    fi
    local cmd=${words[1]}
    if [[ $cmd == help ]]; then
        ((cword == 2)) && COMPREPLY=($(compgen -W "$(_docctl_ask commands | cut -f1)" -- "$cur"))
        return
    fi

    # a sub-command (feedback new|decide|list) has its own options and operands
    local base=2
    if ((cword > 2)) && [[ ${words[2]} != -* ]] && _docctl_ask operands "$cmd ${words[2]}" >/dev/null; then
        cmd="$cmd ${words[2]}"
        base=3
    fi

    # --NAME<TAB>ARG<TAB>help, ARG empty for a flag
    local table line opt arg takes=" "
    table=$(_docctl_ask options "$cmd") || return
    while IFS=$'\t' read -r opt arg _; do
        [[ -n $arg ]] && takes+="$opt "
        [[ $opt == "$prev" && -n $arg ]] && { _docctl_value "$arg"; return; }
    done <<<"$table"
    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(cut -f1 <<<"$table")" -- "$cur"))
        return
    fi
    # the operands: one per word of the usage, the last may repeat (...)
    local -a ops
    read -r -a ops <<<"$(_docctl_ask operands "$cmd")"
    local i n=0
    for ((i = base; i < cword; i++)); do
        [[ ${words[i]} == -* || $takes == *" ${words[i - 1]} "* ]] || ((n++))
    done
    if ((n < ${#ops[@]})); then
        _docctl_value "${ops[n]}"
    elif ((${#ops[@]})) && [[ ${ops[-1]} == *... || ${ops[-1]} == *...\] ]]; then
        _docctl_value "${ops[-1]}"
    fi
} &&
    complete -F _docctl docctl

# ex: filetype=sh
