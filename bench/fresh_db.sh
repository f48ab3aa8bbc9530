#!/bin/bash
# Make (or remake) an empty, migrated benchmark database: bench/fresh_db.sh heard_bench
set -euo pipefail
name=${1:?database name}
cd "$(dirname "$0")/.."
psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $name" -c "create database $name"
DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/$name .venv/bin/python manage.py migrate -v0
