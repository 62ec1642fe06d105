/**
 * A shell snippet that runs `command` until it succeeds, waiting 5 s, then twice as long each time (at
 * most 60 s), and gives up with status 1 after `budgetSeconds`. Each failure is logged with `tag`.
 * It contains no `${` or `%{`, which Terraform would read as an interpolation in user data.
 */
export function retryShell(command: string, budgetSeconds: number, tag: string): string {
  if (!Number.isInteger(budgetSeconds) || budgetSeconds < 1) throw new Error(`The retry budget must be a whole number of seconds; got ${budgetSeconds}.`);
  return `(
  deadline=$((SECONDS + ${budgetSeconds})); delay=5; attempt=1
  until ${command}; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "${tag}: gave up after $attempt attempts: ${command}"; exit 1; fi
    echo "${tag}: attempt $attempt failed, retrying in $delay s: ${command}"
    sleep "$delay"; attempt=$((attempt + 1)); delay=$((delay * 2 > 60 ? 60 : delay * 2))
  done
)`;
}
