#!/bin/sh
# Starts Alertmanager with the receivers switched on in .env (compose.yaml: the alertmanager
# service's entrypoint). Alertmanager reads no environment variables, so this renders
# alertmanager.yml first: lines marked "#@<receiver> " are kept, without the marker, when that
# receiver is on, and each '${NAME}' in them becomes the variable's value (YAML-quoted).
#   entrypoint.sh /bin/alertmanager --config.file=/tmp/alertmanager/alertmanager.yml ...
#   entrypoint.sh                  (no arguments: render only; the tests do that)
# AM_TEMPLATE_DIR (default /etc/alertmanager) holds alertmanager.yml and household.tmpl;
# AM_RUN_DIR (default /tmp/alertmanager, a tmpfs) gets the rendered files and the SMTP password,
# readable by this user only. POSIX sh and awk: busybox (official image) and dash/mawk alike.
#
# A bad setting switches off only the receiver it belongs to, with one line on stderr naming the
# variable: one mistyped chat id must not keep the e-mail from going out, nor stop Alertmanager
# (a crash loop sends nothing). Alertmanager always starts; when receivers were switched off it
# is told so by an alert of its own, AlertReceiverOff, which the remaining receivers deliver and
# the UI shows.
set -eu

src=${AM_TEMPLATE_DIR:-/etc/alertmanager}
out=${AM_RUN_DIR:-/tmp/alertmanager}

fail() {
  echo "alertmanager: $* (see .env.example)" >&2
  exit 2
}

set_in_env() { eval "[ -n \"\${$1:-}\" ]"; }

# The receivers switched off, as "receiver|variable|what is wrong" lines, for the alert.
off=""

# Switches receiver $1 off because of variable $2; $3 says what is wrong and how to fix it.
switch_off() {
  echo "alertmanager: $2 $3; $1 is switched off until that is fixed in .env, the other receivers stay on (see .env.example)" >&2
  off="$off$1|$2|$3$nl"
  return 1
}

# Every value ends up on one YAML line. A .env saved on Windows ends each value with a carriage
# return, which would be folded into URLs and host names and fail at every send: it is dropped.
nl='
'
cr=$(printf '\r')
for name in ALERT_TELEGRAM_BOT_TOKEN ALERT_TELEGRAM_CHAT_ID ALERT_TELEGRAM_API_URL ALERT_NTFY_URL \
    ALERT_WEBHOOK_URL ALERT_EMAIL_TO ALERT_EMAIL_FROM ALERT_SMTP_SMARTHOST ALERT_SMTP_USERNAME \
    ALERT_SMTP_PASSWORD ALERT_SMTP_REQUIRE_TLS; do
  eval "value=\${$name:-}"
  case "$value" in *"$cr") eval "$name=\${value%\"\$cr\"}; export $name" ;; esac
done

# Receiver $1's variables $2... hold one line each.
one_line() {
  receiver=$1
  shift
  for name in "$@"; do
    eval "value=\${$name:-}"
    case "$value" in
      *"$nl"* | *"$cr"*) switch_off "$receiver" "$name" "contains a line break; write it on one line" || return 1 ;;
    esac
  done
}

# What Go's URL parser (Alertmanager's) refuses: blanks and control characters, a '%' not followed
# by two hex digits, an IPv6 host without its ']'. amtool below has the last word.
http_url() {
  case "$3" in
    http://?* | https://?*) ;;
    *) switch_off "$1" "$2" "must be an http:// or https:// URL, got '$3'" || return 1 ;;
  esac
  case "$3" in
    *[[:space:][:cntrl:]]*) switch_off "$1" "$2" "contains a space, tab or control character; write the URL without it (spaces as %20), got '$3'" || return 1 ;;
  esac
  rest=$3
  while :; do
    case "$rest" in
      *%*) rest=${rest#*%} ;;
      *) break ;;
    esac
    case "$rest" in
      [0-9A-Fa-f][0-9A-Fa-f]*) ;;
      *) switch_off "$1" "$2" "has a '%' that is not followed by two hex digits (write a '%' as %25), got '$3'" || return 1 ;;
    esac
  done
  authority=${3#*://}
  authority=${authority%%/*}
  case "$authority" in
    *\[*\]*) ;;
    *\[* | *\]*) switch_off "$1" "$2" "has an IPv6 address without its closing ']' (write http://[::1]:8080/...), got '$3'" || return 1 ;;
  esac
}

telegram_ok() {
  one_line telegram ALERT_TELEGRAM_BOT_TOKEN ALERT_TELEGRAM_CHAT_ID ALERT_TELEGRAM_API_URL || return 1
  set_in_env ALERT_TELEGRAM_BOT_TOKEN ||
    switch_off telegram ALERT_TELEGRAM_BOT_TOKEN "is empty but ALERT_TELEGRAM_CHAT_ID is set: Telegram needs both" || return 1
  set_in_env ALERT_TELEGRAM_CHAT_ID ||
    switch_off telegram ALERT_TELEGRAM_CHAT_ID "is empty but ALERT_TELEGRAM_BOT_TOKEN is set: Telegram needs both" || return 1
  case "$ALERT_TELEGRAM_BOT_TOKEN" in
    *[!0-9A-Za-z_:-]* | [!0-9]* | *:) token_ok=no ;;
    [0-9]*:*) token_ok=yes ;;
    *) token_ok=no ;;
  esac
  [ "$token_ok" = yes ] ||
    switch_off telegram ALERT_TELEGRAM_BOT_TOKEN "does not look like a bot token (digits:letters, as @BotFather gives it)" || return 1
  chat_digits=${ALERT_TELEGRAM_CHAT_ID#-}
  # Alertmanager reads it as a 64-bit integer other than 0; Telegram's ids have at most 16 digits.
  case "$chat_digits" in
    '' | *[!0-9]* | 0* | ?????????????????*)
      switch_off telegram ALERT_TELEGRAM_CHAT_ID "must be a number such as 123456789 (a group's starts with -), got '$ALERT_TELEGRAM_CHAT_ID'" || return 1 ;;
  esac
  # a self-hosted Bot API server, or the tests' stand-in; Telegram's own by default
  ALERT_TELEGRAM_API_URL=${ALERT_TELEGRAM_API_URL:-https://api.telegram.org}
  export ALERT_TELEGRAM_API_URL
  http_url telegram ALERT_TELEGRAM_API_URL "$ALERT_TELEGRAM_API_URL"
}

ntfy_ok() {
  one_line ntfy ALERT_NTFY_URL || return 1
  http_url ntfy ALERT_NTFY_URL "$ALERT_NTFY_URL" || return 1
  # ntfy's message templates (Go templates over Alertmanager's JSON), URL-encoded:
  #   title:   {{if eq .status "resolved"}}RESOLVED{{else}}ALERT{{end}}: {{(index .alerts 0).annotations.summary}}
  #   message: {{range .alerts}}{{if eq .status "resolved"}}RESOLVED: {{.annotations.summary}}{{else}}
  #            {{.annotations.summary}}⏎Value: {{.annotations.value}}⏎What to do: {{.annotations.action}}{{end}}⏎{{end}}
  title='%7B%7Bif%20eq%20.status%20%22resolved%22%7D%7DRESOLVED%7B%7Belse%7D%7DALERT%7B%7Bend%7D%7D%3A%20%7B%7B%28index%20.alerts%200%29.annotations.summary%7D%7D'
  message='%7B%7Brange%20.alerts%7D%7D%7B%7Bif%20eq%20.status%20%22resolved%22%7D%7DRESOLVED%3A%20%7B%7B.annotations.summary%7D%7D%7B%7Belse%7D%7D%7B%7B.annotations.summary%7D%7D%0AValue%3A%20%7B%7B.annotations.value%7D%7D%0AWhat%20to%20do%3A%20%7B%7B.annotations.action%7D%7D%7B%7Bend%7D%7D%0A%7B%7Bend%7D%7D'
  case "$ALERT_NTFY_URL" in *\?*) separator='&' ;; *) separator='?' ;; esac
  NTFY_PUBLISH_URL="$ALERT_NTFY_URL${separator}tpl=1&t=$title&m=$message"
  export NTFY_PUBLISH_URL
}

webhook_ok() {
  one_line webhook ALERT_WEBHOOK_URL || return 1
  http_url webhook ALERT_WEBHOOK_URL "$ALERT_WEBHOOK_URL"
}

email_ok() {
  one_line email ALERT_EMAIL_TO ALERT_EMAIL_FROM ALERT_SMTP_SMARTHOST ALERT_SMTP_USERNAME \
    ALERT_SMTP_PASSWORD ALERT_SMTP_REQUIRE_TLS || return 1
  set_in_env ALERT_EMAIL_FROM ||
    switch_off email ALERT_EMAIL_FROM "is empty but ALERT_EMAIL_TO is set: e-mail needs a sender address" || return 1
  set_in_env ALERT_SMTP_SMARTHOST ||
    switch_off email ALERT_SMTP_SMARTHOST "is empty but ALERT_EMAIL_TO is set: e-mail needs the SMTP server as host:port" || return 1
  case "$ALERT_SMTP_SMARTHOST" in
    *[[:space:][:cntrl:]]*) smarthost_ok=no ;;
    ?*:[0-9]*) smarthost_ok=yes ;;
    *) smarthost_ok=no ;;
  esac
  [ "$smarthost_ok" = yes ] ||
    switch_off email ALERT_SMTP_SMARTHOST "must be host:port such as smtp.example.com:587, got '$ALERT_SMTP_SMARTHOST'" || return 1
  ALERT_SMTP_REQUIRE_TLS=${ALERT_SMTP_REQUIRE_TLS:-true}
  case "$ALERT_SMTP_REQUIRE_TLS" in
    true | false) export ALERT_SMTP_REQUIRE_TLS ;;
    *) switch_off email ALERT_SMTP_REQUIRE_TLS "must be true or false, got '$ALERT_SMTP_REQUIRE_TLS'" || return 1 ;;
  esac
  if set_in_env ALERT_SMTP_USERNAME; then
    set_in_env ALERT_SMTP_PASSWORD ||
      switch_off email ALERT_SMTP_PASSWORD "is empty but ALERT_SMTP_USERNAME is set: the SMTP login needs both" || return 1
  fi
}

on=""
if set_in_env ALERT_TELEGRAM_BOT_TOKEN || set_in_env ALERT_TELEGRAM_CHAT_ID; then
  if telegram_ok; then on="$on telegram"; fi
fi
if set_in_env ALERT_NTFY_URL; then
  if ntfy_ok; then on="$on ntfy"; fi
fi
if set_in_env ALERT_WEBHOOK_URL; then
  if webhook_ok; then on="$on webhook"; fi
fi
if set_in_env ALERT_EMAIL_TO; then
  if email_ok; then
    on="$on email"
    if set_in_env ALERT_SMTP_USERNAME; then on="$on email_login"; fi
  fi
else
  for name in ALERT_EMAIL_FROM ALERT_SMTP_SMARTHOST ALERT_SMTP_USERNAME ALERT_SMTP_PASSWORD; do
    if set_in_env "$name"; then
      switch_off email "$name" "is set but ALERT_EMAIL_TO is empty: set the address to send alerts to, or unset $name" || :
      break
    fi
  done
fi

umask 077
mkdir -p "$out"
if set_in_env ALERT_SMTP_PASSWORD; then
  # a file, so that a password with quotes or backslashes needs no escaping
  printf '%s' "$ALERT_SMTP_PASSWORD" >"$out/smtp_password"
  ALERT_SMTP_PASSWORD_FILE="$out/smtp_password"
  export ALERT_SMTP_PASSWORD_FILE
fi
cp "$src/household.tmpl" "$out/household.tmpl"

# Renders alertmanager.yml with the receivers in $1 (" telegram email ...") into $2: a marked
# line is kept when one of its receivers (#@a,b) is on; '${NAME}' is filled in from the
# environment, with single quotes doubled for YAML's single-quoted scalars.
render() {
  awk -v on=" $1 " '
    function expand(line,    result, start, end, name, value, q) {
      q = sprintf("%c", 39)
      result = ""
      while ((start = index(line, "${")) > 0) {
        end = index(substr(line, start), "}")
        if (end == 0) break
        name = substr(line, start + 2, end - 3)
        if (!(name in ENVIRON)) {
          printf "alertmanager: %s line %d uses ${%s}, which is not set\n", FILENAME, FNR, name > "/dev/stderr"
          failed = 1
          exit 3
        }
        value = ENVIRON[name]
        gsub(q, q q, value)
        result = result substr(line, 1, start - 1) value
        line = substr(line, start + end)
      }
      return result line
    }
    /^#@[a-z_,]+ / {
      marker = substr($0, 3, index($0, " ") - 3)
      n = split(marker, receivers, ",")
      keep = 0
      for (i = 1; i <= n; i++) if (index(on, " " receivers[i] " ") > 0) keep = 1
      if (keep) print expand(substr($0, length(marker) + 3))
      next
    }
    { print }
  ' "$src/alertmanager.yml" >"$2" || return 1
}

# Alertmanager's own parser has the last word (the checks above are the ones we know): amtool's
# reason for refusing the file in $1, empty when it takes it. Without amtool (a test's PATH)
# everything passes.
refusal() {
  command -v amtool >/dev/null 2>&1 || return 0
  if checked=$(amtool check-config "$1" 2>&1); then
    return 0
  fi
  reason=$(printf '%s\n' "$checked" | sed -n 's/.*FAILED: //p' | head -n 1)
  echo "${reason:-$(printf '%s\n' "$checked" | grep -v '^ *$' | tail -n 1)}"
}

# The variables each receiver reads, for the line that says which to look at.
variables() {
  case "$1" in
    telegram) echo "ALERT_TELEGRAM_BOT_TOKEN, ALERT_TELEGRAM_CHAT_ID or ALERT_TELEGRAM_API_URL" ;;
    ntfy) echo "ALERT_NTFY_URL" ;;
    webhook) echo "ALERT_WEBHOOK_URL" ;;
    *) echo "ALERT_EMAIL_TO, ALERT_EMAIL_FROM, ALERT_SMTP_SMARTHOST or ALERT_SMTP_USERNAME" ;;
  esac
}

config="$out/alertmanager.yml"
render "$on" "$config" || fail "cannot render $src/alertmanager.yml"
why=$(refusal "$config")
if [ -n "$why" ]; then
  # find the receivers Alertmanager refuses, one at a time, and keep the others
  kept=""
  for receiver in $on; do
    [ "$receiver" = email_login ] && continue
    alone=" $receiver"
    case "$receiver $on " in "email "*" email_login "*) alone=" email email_login" ;; esac
    render "$alone" "$out/check.yml" || fail "cannot render $src/alertmanager.yml"
    why=$(refusal "$out/check.yml")
    if [ -n "$why" ]; then
      switch_off "$receiver" "$(variables "$receiver")" "is refused by Alertmanager: $why" || :
    else
      kept="$kept$alone"
    fi
  done
  rm -f "$out/check.yml"
  on=$kept
  render "$on" "$config" || fail "cannot render $src/alertmanager.yml"
  why=$(refusal "$config")
  if [ -n "$why" ]; then
    for receiver in $on; do
      [ "$receiver" = email_login ] || switch_off "$receiver" "$(variables "$receiver")" "is refused by Alertmanager together with the other receivers: $why" || :
    done
    on=""
    render "" "$config" || fail "cannot render $src/alertmanager.yml"
    why=$(refusal "$config")
    [ -z "$why" ] || fail "Alertmanager refuses $src/alertmanager.yml itself: $why; restore the shipped file"
  fi
fi

summary=$(echo "$on" | sed 's/ email_login//; s/^ //; s/ /, /g')
if [ -n "$summary" ]; then
  echo "alertmanager: notifications go to: $summary"
elif [ -n "$off" ]; then
  echo "alertmanager: every receiver set in .env is switched off (see the lines above): alerts show in the Alertmanager UI only" >&2
else
  echo "alertmanager: no receiver switched on in .env: alerts show in the Alertmanager UI only"
fi

[ "$#" -gt 0 ] || exit 0

# Each receiver switched off becomes an alert in Alertmanager itself, AlertReceiverOff: the UI
# shows it and the remaining receivers deliver it. amtool posts it every 5 s until Alertmanager
# takes it, then once a minute so that it stays firing (it resolves 5 min after the last post,
# resolve_timeout); the loop ends within 5 s of Alertmanager ($2: the PID this shell hands over
# with exec).
announce() {
  ticks=0
  while kill -0 "$2" 2>/dev/null; do
    if [ "$ticks" -gt 0 ]; then
      ticks=$((ticks - 1))
    elif printf '%s' "$off" | while IFS='|' read -r receiver variable problem; do
      amtool --alertmanager.url="$1" alert add alertname=AlertReceiverOff receiver="$receiver" \
        --annotation=summary="Alerts are not sent to $receiver: $variable in .env is wrong" \
        --annotation=value="$variable $problem" \
        --annotation=action="Fix $variable in .env, then docker compose up -d alertmanager" \
        >/dev/null 2>&1 || exit 1
    done; then
      ticks=11
    fi
    sleep 5
  done
}

if [ -n "$off" ] && command -v amtool >/dev/null 2>&1; then
  listen=:9093
  for arg in "$@"; do
    case "$arg" in --web.listen-address=*) listen=${arg#*=} ;; esac
  done
  case "$listen" in :*) listen="127.0.0.1$listen" ;; esac
  announce "http://$listen" "$$" &
fi
exec "$@"
