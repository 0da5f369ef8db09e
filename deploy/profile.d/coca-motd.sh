# /etc/profile.d/coca-motd.sh: the Coca4ai login banner (issue 14). Interactive logins only; it never blocks or fails
# a login: the banner prints nothing and exits 0 when the store cannot be read, and `timeout` bounds a stuck store.
# coca-motd (the login edition: `dotnet publish src/Coca.Cli -c Release -r linux-x64 -p:PublishAot=true
# -p:CocaEdition=login`) is the banner alone and starts several times faster than the full coca; `coca motd` otherwise.
# Turn it off for everyone with `[feedback] channels` without motd; a user can skip it with COCA_NO_MOTD=1.
case $- in
  *i*)
    if [ -z "${COCA_NO_MOTD:-}" ]; then
      if command -v coca-motd >/dev/null 2>&1; then
        timeout 2 coca-motd 2>/dev/null || true
      elif command -v coca >/dev/null 2>&1; then
        timeout 2 coca motd 2>/dev/null || true
      fi
    fi
    ;;
esac
