# bash completion for dipkg: commands, each command's options, formats,
# store kinds and files.  Installed by `make install` into
# share/bash-completion/completions/dipkg.

_dipkg()
{
    local cur prev words cword
    # ':' in store specs is not a word break here.
    _init_completion -n : || return

    local commands="export validate stats query load push classes serve publish help"
    local common="--base --ontology --jobs --max-errors --brief --progress --no-progress --strict --allow-outside-text --help --version"

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
            _filedir '@(ttl|nt|nq|rdf)'
            return
            ;;
        --ontology)
            _filedir ttl
            return
            ;;
        -b | --base | -j | --jobs | --max-errors | -e | --expression | --bind)
            return
            ;;
    esac

    local opts
    case $cmd in
        export) opts="--format --output --void --closure --with-ontology --quiet $common" ;;
        validate) opts="--quiet $common" ;;
        stats) opts="--store $common" ;;
        load) opts="--store --no-closure --input-format --lock-wait --rebase --quiet $common" ;;
        query) opts="--expression --bind --explain --format --store --no-closure --input-format --endpoint --timeout --post-form --memory-limit --allow-service --with-ontology --default-graph --named-graph $common" ;;
        push) opts="--graph-store --user --password-file --dry-run --no-closure --quiet $common" ;;
        serve) opts="--store --listen --query-timeout --query-memory --threads --dataset-meta --no-closure --quiet $common" ;;
        publish) opts="--output --quiet $common" ;;
        classes) opts="--ontology --help --version" ;;
        help)
            ((cword == 2)) && COMPREPLY=($(compgen -W "${commands% help}" -- "$cur"))
            return
            ;;
        *) return ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case $cmd in
        export | validate | push | publish) _filedir '@(yaml|yml)' ;;
        stats | load | serve) _filedir '@(yaml|yml|ttl|nt|nq|rdf|owl|xml|trig)' ;;
        query) _filedir '@(yaml|yml|ttl|nt|nq|rdf|owl|xml|trig|rq|sparql)' ;;
    esac
} &&
    complete -F _dipkg dipkg
