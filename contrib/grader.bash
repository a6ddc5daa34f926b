# bash completion for grader(1). Source it, or install it as
# /usr/share/bash-completion/completions/grader.
_grader()
{
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "check fetch grade merge assign collect serve similar help version --help --version" -- "$cur"))
        return
    fi
    case $prev in
        --roster|--reviews|--assignments|--gradebook|--manifest|--keep|--links)
            COMPREPLY=($(compgen -f -X '!*.csv' -- "$cur") $(compgen -d -- "$cur")); return ;;
        --rubric)
            COMPREPLY=($(compgen -f -X '!*.y*ml' -- "$cur") $(compgen -d -- "$cur")); return ;;
        --into|--submissions|-o|--output|--known|--repo)
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --format)
            if [ "$cmd" = check ]; then
                COMPREPLY=($(compgen -W "text json github sarif markdown" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "text json" -- "$cur"))
            fi
            return ;;
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --lms) COMPREPLY=($(compgen -W "canvas moodle" -- "$cur")); return ;;
        --reviewers) COMPREPLY=($(compgen -W "all submitted" -- "$cur")); return ;;
        --anonymous) COMPREPLY=($(compgen -W "authors both none" -- "$cur")); return ;;
        --db) COMPREPLY=($(compgen -f -X '!*.db' -- "$cur") $(compgen -d -- "$cur")); return ;;
        --listen|--base-url|--threads|--port-file) return ;;
        --misnamed) COMPREPLY=($(compgen -W "grade flag zero" -- "$cur")); return ;;
        --deadline|--repo-template|--path|-j|--jobs|--timeout|--retries|--max-size|--token-host|--shard|-k|--seed|\
        --avoid-group|--weights|--penalty|--threshold|--min-score)
            return ;;
        --criterion)
            # grader lists the rubric's criteria when asked for one it lacks
            local rubric=() i
            for ((i = 1; i < COMP_CWORD; i++)); do
                [ "${COMP_WORDS[i]}" = --rubric ] && rubric=(--rubric "${COMP_WORDS[i+1]}")
            done
            COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" check "${rubric[@]}" --criterion '' /dev/null 2>&1 |
                sed -n 's/.*; its criteria: //p')" -- "$cur"))
            return ;;
    esac
    local opts
    case $cmd in
        check) opts="--rubric --repo --format --show-met --min-score --criterion --color --quiet
                     --jobs --help" ;;
        fetch) opts="--roster --repo-template --submissions --path --rubric --deadline --jobs --timeout
                     --retries --max-size --token-host --shard --quiet --verbose --help" ;;
        grade) opts="--roster --repo-template --rubric --submissions --fetch --path
                     --deadline --jobs --timeout --retries --max-size --token-host --misnamed --output
                     --format --lms --known --threshold --no-similar --shard --quiet --verbose
                     --help" ;;
        merge) opts="--roster --repo-template --rubric --output --format --lms --known --threshold
                     --no-similar --misnamed --quiet --help" ;;
        assign) opts="--roster -k --seed --avoid-group --reviewers --submissions --keep --rubric
                      --repo-template --output --db --help" ;;
        collect) opts="--reviews --db --assignments --gradebook --rubric --weights --penalty --help" ;;
        serve) opts="--db --init --roster --assignments --submissions --rubric --repo-template
                     --links --reissue --base-url --listen --port-file --threads --anonymous
                     --deadline --help" ;;
        similar) opts="--roster --submissions --repo-template --rubric --known --threshold --output
                       --format --help" ;;
        help) COMPREPLY=($(compgen -W "check fetch grade merge assign collect serve similar" -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _grader grader
