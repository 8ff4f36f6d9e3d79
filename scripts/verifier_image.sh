#!/usr/bin/env bash
# Run the Dockerfile's steps outside Docker (no Docker engine here): a clean copy of the
# project, a fresh virtual environment standing for the image's Python, deploy/build.sh,
# then deploy/start.sh's commands with production settings, and a few requests.
set -euo pipefail
racine="$(cd "$(dirname "$0")/.." && pwd)"
grep -q '^RUN sh deploy/build.sh' "$racine/Dockerfile" || { echo "Dockerfile : build.sh n'est plus appelé"; exit 1; }
grep -q '^CMD \["sh", "deploy/start.sh"\]' "$racine/Dockerfile" || { echo "Dockerfile : start.sh n'est plus la commande"; exit 1; }

travail="$(mktemp -d)"
serveur=""
nettoyer() { [ -n "$serveur" ] && kill "$serveur" 2>/dev/null || true; rm -rf "$travail"; }
trap nettoyer EXIT

git -C "$racine" ls-files -z | (cd "$racine" && xargs -0 tar cf -) | (cd "$travail" && tar xf -)
python3 -m venv "$travail/venv"
export PATH="$travail/venv/bin:$PATH"
cd "$travail"
echo "→ deploy/build.sh (pip install . et collectstatic)"
sh deploy/build.sh
test -f staticfiles/staticfiles.json || { echo "collectstatic n'a pas produit de manifeste"; exit 1; }

port="$(python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export DJANGO_ENV=production DJANGO_SECRET_KEY="verification-hors-docker-$(date +%s)-abcdefghijklmnopqrstuvwxyz0123456789"
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 DATABASE_URL="sqlite:///$travail/image.sqlite3"
export GUNICORN_BIND="127.0.0.1:$port" GUNICORN_WORKERS=2
echo "→ deploy/start.sh (migrate, createcachetable, load_reference, gunicorn) sur le port $port"
sh deploy/start.sh > "$travail/gunicorn.log" 2>&1 &
serveur=$!
# A fresh database first gets its tables and the reference data: a minute or two here.
for _ in $(seq 1 900); do
  curl -fsS "http://127.0.0.1:$port/sante" >/dev/null 2>&1 && break
  kill -0 "$serveur" 2>/dev/null || { echo "ÉCHEC : deploy/start.sh s'est arrêté"; cat "$travail/gunicorn.log"; exit 1; }
  sleep 0.2
done
verifier() { # url, texte attendu
  corps="$(curl -fsS "http://127.0.0.1:$port$1")" || { echo "ÉCHEC : $1"; cat "$travail/gunicorn.log"; exit 1; }
  grep -q "$2" <<<"$corps" || { echo "ÉCHEC : $1 ne contient pas « $2 »"; exit 1; }
  echo "  ok $1"
}
verifier /sante '"ok"'
verifier "/resultat?date_signature=2023-09-01&specialite=01&secteur=1&commune=45234&patientele_mt=920&file_active=1350&option=mi_temps" "Éligible"
feuille="$(curl -fsS "http://127.0.0.1:$port/" | grep -o '/static/css/site\.[0-9a-f]*\.css' | head -1)"
[ -n "$feuille" ] || { echo "ÉCHEC : pas de feuille de style hachée"; exit 1; }
verifier "$feuille" "Simulateur assistant"
manifeste="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/static/staticfiles.json")"
[ "$manifeste" = 404 ] || { echo "ÉCHEC : le manifeste des fichiers statiques est servi ($manifeste)"; exit 1; }
echo "  ok /static/staticfiles.json non servi"
entetes="$(curl -fsSI "http://127.0.0.1:$port/")"
for entete in "content-security-policy" "x-frame-options: DENY" "referrer-policy: same-origin" "x-content-type-options: nosniff"; do
  grep -qi "$entete" <<<"$entetes" || { echo "ÉCHEC : en-tête manquant $entete"; exit 1; }
done
grep -q 'GET /resultat HTTP' "$travail/gunicorn.log" || { echo "ÉCHEC : journal d'accès inattendu"; exit 1; }
if grep -q 'patientele_mt' "$travail/gunicorn.log"; then echo "ÉCHEC : le journal d'accès contient une query string"; exit 1; fi
echo "Étapes du Dockerfile vérifiées hors Docker."
