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
set -eu

src=${AM_TEMPLATE_DIR:-/etc/alertmanager}
out=${AM_RUN_DIR:-/tmp/alertmanager}

fail() {
  echo "alertmanager: $* (see .env.example)" >&2
  exit 2
}

set_in_env() { eval "[ -n \"\${$1:-}\" ]"; }

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
  eval "value=\${$name:-}"
  case "$value" in *"$nl"* | *"$cr"*) fail "$name contains a line break; write it on one line" ;; esac
done

# What Go's URL parser (Alertmanager's) refuses: blanks and control characters, a '%' not followed
# by two hex digits, an IPv6 host without its ']'.
http_url() {
  case "$2" in
    http://?* | https://?*) ;;
    *) fail "$1 must be an http:// or https:// URL, got '$2'" ;;
  esac
  case "$2" in
    *[[:space:][:cntrl:]]*) fail "$1 contains a space, tab or control character; write the URL without it (spaces as %20), got '$2'" ;;
  esac
  rest=$2
  while :; do
    case "$rest" in
      *%*) rest=${rest#*%} ;;
      *) break ;;
    esac
    case "$rest" in
      [0-9A-Fa-f][0-9A-Fa-f]*) ;;
      *) fail "$1 has a '%' that is not followed by two hex digits (write a '%' as %25), got '$2'" ;;
    esac
  done
  authority=${2#*://}
  authority=${authority%%/*}
  case "$authority" in
    *\[*\]*) ;;
    *\[* | *\]*) fail "$1 has an IPv6 address without its closing ']' (write http://[::1]:8080/...), got '$2'" ;;
  esac
}

on=""

if set_in_env ALERT_TELEGRAM_BOT_TOKEN || set_in_env ALERT_TELEGRAM_CHAT_ID; then
  set_in_env ALERT_TELEGRAM_BOT_TOKEN || fail "ALERT_TELEGRAM_CHAT_ID is set but ALERT_TELEGRAM_BOT_TOKEN is empty: Telegram needs both"
  set_in_env ALERT_TELEGRAM_CHAT_ID || fail "ALERT_TELEGRAM_BOT_TOKEN is set but ALERT_TELEGRAM_CHAT_ID is empty: Telegram needs both"
  case "$ALERT_TELEGRAM_BOT_TOKEN" in
    *[!0-9A-Za-z_:-]* | [!0-9]* | *:) fail "ALERT_TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters, as @BotFather gives it)" ;;
    [0-9]*:*) ;;
    *) fail "ALERT_TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters, as @BotFather gives it)" ;;
  esac
  chat_digits=${ALERT_TELEGRAM_CHAT_ID#-}
  # Alertmanager reads it as a 64-bit integer other than 0; Telegram's ids have at most 16 digits.
  case "$chat_digits" in
    '' | *[!0-9]* | 0* | ?????????????????*) fail "ALERT_TELEGRAM_CHAT_ID must be a number such as 123456789 (a group's starts with -), got '$ALERT_TELEGRAM_CHAT_ID'" ;;
  esac
  # a self-hosted Bot API server, or the tests' stand-in; Telegram's own by default
  ALERT_TELEGRAM_API_URL=${ALERT_TELEGRAM_API_URL:-https://api.telegram.org}
  http_url ALERT_TELEGRAM_API_URL "$ALERT_TELEGRAM_API_URL"
  export ALERT_TELEGRAM_API_URL
  on="$on telegram"
fi

if set_in_env ALERT_NTFY_URL; then
  http_url ALERT_NTFY_URL "$ALERT_NTFY_URL"
  # ntfy's message templates (Go templates over Alertmanager's JSON), URL-encoded:
  #   title:   {{if eq .status "resolved"}}RESOLVED{{else}}ALERT{{end}}: {{(index .alerts 0).annotations.summary}}
  #   message: {{range .alerts}}{{if eq .status "resolved"}}RESOLVED: {{.annotations.summary}}{{else}}
  #            {{.annotations.summary}}⏎Value: {{.annotations.value}}⏎What to do: {{.annotations.action}}{{end}}⏎{{end}}
  title='%7B%7Bif%20eq%20.status%20%22resolved%22%7D%7DRESOLVED%7B%7Belse%7D%7DALERT%7B%7Bend%7D%7D%3A%20%7B%7B%28index%20.alerts%200%29.annotations.summary%7D%7D'
  message='%7B%7Brange%20.alerts%7D%7D%7B%7Bif%20eq%20.status%20%22resolved%22%7D%7DRESOLVED%3A%20%7B%7B.annotations.summary%7D%7D%7B%7Belse%7D%7D%7B%7B.annotations.summary%7D%7D%0AValue%3A%20%7B%7B.annotations.value%7D%7D%0AWhat%20to%20do%3A%20%7B%7B.annotations.action%7D%7D%7B%7Bend%7D%7D%0A%7B%7Bend%7D%7D'
  case "$ALERT_NTFY_URL" in *\?*) separator='&' ;; *) separator='?' ;; esac
  NTFY_PUBLISH_URL="$ALERT_NTFY_URL${separator}tpl=1&t=$title&m=$message"
  export NTFY_PUBLISH_URL
  on="$on ntfy"
fi

if set_in_env ALERT_WEBHOOK_URL; then
  http_url ALERT_WEBHOOK_URL "$ALERT_WEBHOOK_URL"
  on="$on webhook"
fi

if set_in_env ALERT_EMAIL_TO; then
  set_in_env ALERT_EMAIL_FROM || fail "ALERT_EMAIL_TO is set but ALERT_EMAIL_FROM is empty: e-mail needs a sender address"
  set_in_env ALERT_SMTP_SMARTHOST || fail "ALERT_EMAIL_TO is set but ALERT_SMTP_SMARTHOST is empty: e-mail needs the SMTP server as host:port"
  case "$ALERT_SMTP_SMARTHOST" in
    ?*:[0-9]*) ;;
    *) fail "ALERT_SMTP_SMARTHOST must be host:port such as smtp.example.com:587, got '$ALERT_SMTP_SMARTHOST'" ;;
  esac
  ALERT_SMTP_REQUIRE_TLS=${ALERT_SMTP_REQUIRE_TLS:-true}
  case "$ALERT_SMTP_REQUIRE_TLS" in
    true | false) export ALERT_SMTP_REQUIRE_TLS ;;
    *) fail "ALERT_SMTP_REQUIRE_TLS must be true or false, got '$ALERT_SMTP_REQUIRE_TLS'" ;;
  esac
  on="$on email"
  if set_in_env ALERT_SMTP_USERNAME; then
    set_in_env ALERT_SMTP_PASSWORD || fail "ALERT_SMTP_USERNAME is set but ALERT_SMTP_PASSWORD is empty"
    on="$on email_login"
  fi
else
  for name in ALERT_EMAIL_FROM ALERT_SMTP_SMARTHOST ALERT_SMTP_USERNAME ALERT_SMTP_PASSWORD; do
    if set_in_env "$name"; then
      fail "$name is set but ALERT_EMAIL_TO is empty: set the address to send alerts to, or unset $name"
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

# Keep a marked line when one of its receivers (#@a,b) is on; fill in '${NAME}' from the
# environment, with single quotes doubled for YAML's single-quoted scalars.
awk -v on=" $on " '
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
' "$src/alertmanager.yml" >"$out/alertmanager.yml"
cp "$src/household.tmpl" "$out/household.tmpl"

# The checks above are the ones we know; Alertmanager's own parser has the last word, so that a
# value it refuses stops here with the variables to look at, not in a crash loop that sends nothing.
if command -v amtool >/dev/null 2>&1 && ! checked=$(amtool check-config "$out/alertmanager.yml" 2>&1); then
  reason=$(printf '%s\n' "$checked" | grep -v '^ *$' | tail -n 1)
  fail "Alertmanager refuses the settings of:$on ($reason); check those ALERT_ variables"
fi

summary=$(echo "$on" | sed 's/ email_login//; s/^ //; s/ /, /g')
if [ -n "$summary" ]; then
  echo "alertmanager: notifications go to: $summary"
else
  echo "alertmanager: no receiver switched on in .env: alerts show in the Alertmanager UI only"
fi

if [ "$#" -gt 0 ]; then
  exec "$@"
fi
