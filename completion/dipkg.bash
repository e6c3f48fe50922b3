# bash completion for dipkg: commands, each command's options, formats,
# store kinds and files.  Installed by `make install` into
# share/bash-completion/completions/dipkg.

_dipkg()
{
    local cur prev words cword
    # ':' in store specs is not a word break here.
    _init_completion -n : || return

    # Commands and options come from the binary's own help, the list
    # `dipkg` itself checks options against, so the two never drift.
    local dipkg=${words[0]}
    local commands
    commands=$("$dipkg" help 2>/dev/null |
        awk '/^commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 } f && /^$/ { exit }')

    if ((cword == 1)); then
        COMPREPLY=($(compgen -W "$commands --help --version -V" -- "$cur"))
        return
    fi

    local cmd=${words[1]}
    case $prev in
        -f | --format)
            case $cmd in
                export) COMPREPLY=($(compgen -W "turtle ntriples nquads trig rdfxml jsonld plover-jsonl" -- "$cur")) ;;
                query) COMPREPLY=($(compgen -W "table csv tsv json xml turtle ntriples jsonld" -- "$cur")) ;;
            esac
            return
            ;;
        -s | --store)
            case $cur in
                *:*)
                    # A path after bdb: or sqlite:.
                    local kind=${cur%%:*}
                    local path=${cur#*:}
                    local IFS=$'\n'
                    if [[ $kind == bdb ]]; then
                        COMPREPLY=($(compgen -d -P "$kind:" -- "$path"))
                    else
                        COMPREPLY=($(compgen -f -P "$kind:" -- "$path"))
                    fi
                    compopt -o filenames 2>/dev/null
                    __ltrim_colon_completions "$cur"
                    ;;
                *)
                    COMPREPLY=($(compgen -W "bdb: sqlite: memory:" -- "$cur"))
                    compopt -o nospace 2>/dev/null
                    __ltrim_colon_completions "$cur"
                    ;;
            esac
            return
            ;;
        -o | --output)
            _filedir '@(ttl|nt|nq|trig|rdf|jsonld|jsonl|gz)'
            return
            ;;
        --ontology)
            _filedir ttl
            return
            ;;
        -b | --base | -j | --jobs | --max-errors | -e | --expression | --bind | \
            --endpoint | --graph-store | --user | --timeout | --memory-limit | \
            --lock-wait | --listen | --query-timeout | --query-memory | --threads)
            return
            ;;
    esac

    if [[ $cmd == help ]]; then
        ((cword == 2)) && COMPREPLY=($(compgen -W "${commands/help/}" -- "$cur"))
        return
    fi
    # The long options in the usage line and the option column of
    # `dipkg help CMD` (not those its descriptions mention).
    local opts
    opts=$("$dipkg" help "$cmd" 2>/dev/null | awk '
        /^usage:/ { line = $0 }
        /^ *-/ { sub(/^ +/, ""); split($0, part, "  "); line = part[1] }
        { while (match(line, /--[a-z][a-z-]*/)) {
              print substr(line, RSTART, RLENGTH)
              line = substr(line, RSTART + RLENGTH)
          }
          line = "" }' | sort -u)
    [[ $opts ]] || return
    opts+=" --help --version"

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case $cmd in
        export | validate | push) _filedir '@(yaml|yml|json|gz)' ;;
        stats | load | serve | publish) _filedir '@(yaml|yml|json|ttl|nt|nq|rdf|owl|xml|trig|gz)' ;;
        query) _filedir '@(yaml|yml|json|ttl|nt|nq|rdf|owl|xml|trig|gz|rq|sparql)' ;;
    esac
} &&
    complete -F _dipkg dipkg
