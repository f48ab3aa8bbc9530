"""gunicorn's settings for Heard (docker-compose.yml and the Dockerfile start it with `-c`).

The access log has no query string, no referrer, no address and no browser: searches for young
people and answers (`?q=...`) carry children's names, a referrer repeats the page before with its
query, and an address is personal data. What stays is enough to see load and errors: when, the
method, the path, the status, the size and how long it took.
"""

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
# %(U)s is the path without its query string; %(r)s, %(q)s, %(f)s, %(h)s, %(a)s are left out.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
