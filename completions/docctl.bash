# bash completion for docctl                               -*- shell-script -*-
# Commands, their options, document ids of the repository and the types
# and people of its policy (asked of `docctl __complete`). Installed into
# bash-completion's completionsdir, it loads the first time docctl is
# completed.

_docctl_words()
{
    # $1: ids, types or people; quiet outside a controlled repository
    "${COMP_WORDS[0]}" __complete "$1" 2>/dev/null
}

_docctl()
{
    local cur prev words cword split
    _init_completion -s || return

    local commands="check init hook new approve obsolete review revise
        register history show review-due publish ack training help"
    if ((cword == 1)); then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi

    local cmd=${words[1]}
    case $prev in
        --format)
            case $cmd in
                check) COMPREPLY=($(compgen -W "text json sarif" -- "$cur")) ;;
                register | training) COMPREPLY=($(compgen -W "md csv json html" -- "$cur")) ;;
                *) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
            esac
            return ;;
        --rev)
            COMPREPLY=($(compgen -W "HEAD $(git for-each-ref --format='%(refname:short)' 2>/dev/null)" -- "$cur"))
            return ;;
        --superseded-by | --document | --training)
            COMPREPLY=($(compgen -W "$(_docctl_words ids)" -- "$cur"))
            return ;;
        --owner | --person | --for)
            COMPREPLY=($(compgen -W "$(_docctl_words people)" -- "$cur"))
            return ;;
        --out)
            _filedir -d
            return ;;
        --as-of | --title | --change | --revision | --within)
            return ;;
    esac
    $split && return

    local opts="" args=""
    case $cmd in
        check) opts="--format --strict --rev --as-of --help" ;;
        init) opts="--hooks --force --help" ;;
        hook) ((cword == 2)) && args="pre-commit commit-msg pre-receive update post-receive" ;;
        new) opts="--title --owner"; args=types ;;
        approve | review) opts="--sign"; args=ids ;;
        obsolete) opts="--superseded-by --sign"; args=ids ;;
        revise) opts="--change"; args=ids ;;
        register) opts="--format --rev --as-of --help" ;;
        history) opts="--format --rev --as-of --acks --help"; args=ids ;;
        show) opts="--revision --rev --as-of --help"; args=ids ;;
        review-due) opts="--as-of --within --format --rev --help" ;;
        publish) opts="--out --include-confidential --rev --as-of --help" ;;
        ack) opts="--all --sign --push --training --for --remote --rev --as-of --help"; args=ids ;;
        training) opts="--person --document --overdue --format --rev --as-of --help" ;;
        help) ((cword == 2)) && args=$commands ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi
    case $args in
        ids | types)
            # one id or type, before or after the options
            local i seen=0
            for ((i = 2; i < cword; i++)); do
                [[ ${words[i]} != -* && ${words[i - 1]} != --@(title|owner|change|superseded-by|format|rev|as-of|revision) ]] && seen=1
            done
            ((seen)) || COMPREPLY=($(compgen -W "$(_docctl_words "$args")" -- "$cur"))
            ;;
        "")
            [[ $cmd == check ]] && _filedir md
            ;;
        *)
            COMPREPLY=($(compgen -W "$args" -- "$cur"))
            ;;
    esac
} &&
    complete -F _docctl docctl

# ex: filetype=sh
