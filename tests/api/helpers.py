import json

from django.test import Client

from api.services import token_create

A = "/api/v1/c/council-a"
B = "/api/v1/c/council-b"


def token_for(membership, *, can_write=True, days=30) -> str:
    _, raw = token_create(membership=membership, name="Mosaic sync", can_write=can_write, days=days)
    return raw


class Api:
    """A client that sends a token and JSON, as another system would."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, url, params=None, **headers):
        return self.client.get(url, params or {}, headers={**self.headers, **headers})

    def post(self, url, body=None, **headers):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body or {})
        return self.client.post(
            url, data, content_type="application/json", headers={**self.headers, **headers}
        )

    def patch(self, url, body=None, **headers):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body or {})
        return self.client.patch(
            url, data, content_type="application/json", headers={**self.headers, **headers}
        )

    def put(self, url, body=None, **headers):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body or {})
        return self.client.put(
            url, data, content_type="application/json", headers={**self.headers, **headers}
        )

    def delete(self, url):
        return self.client.delete(url, headers=self.headers)


def api_for(membership, **kwargs) -> Api:
    return Api(token_for(membership, **kwargs))


def messages(response) -> dict:
    """{field: [messages]} from the one error body."""
    body = response.json()
    assert set(body) == {"errors"}, body
    out: dict = {}
    for error in body["errors"]:
        assert set(error) == {"field", "message"}
        out.setdefault(error["field"], []).append(error["message"])
    return out
