"""The contract's bodies as pydantic models, for FastAPI's generated OpenAPI document.

Request bodies are read by predictbench's strict reader, not bound by pydantic: pydantic's JSON
parsing takes what the contract refuses (duplicate keys, "17.99" as a number, 3.0 as a whole
number) and names other codes, so the models document the bodies and the reader decides.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PredictRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    instances: list[list[float]] = Field(description="rows of 30 raw feature values, in the order of the model card",
                                         min_length=1, max_length=64)


class Prediction(BaseModel):
    label: str
    probabilities: dict[str, float]


class PredictResponse(BaseModel):
    model: str
    version: str
    predictions: list[Prediction]


class EmbedRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    texts: list[str] = Field(min_length=1, max_length=16, description="1 to 16 texts of at most 1,000 characters")


class EmbedResponse(BaseModel):
    model: str
    dimensions: int
    embeddings: list[list[float]]


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(description="a description to look up, at most 1,000 characters")
    k: int | None = Field(default=None, ge=1, le=50, description="how many entries (default 5)")


class SearchResult(BaseModel):
    synset: str
    words: list[str]
    gloss: str
    score: float


class SearchResponse(BaseModel):
    model: str
    query: str
    results: list[SearchResult]


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["system", "user", "assistant"]
    content: str = Field(max_length=8000, description="at most 8,000 characters")


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    messages: list[ChatMessage] = Field(min_length=1, max_length=64, description="1 to 64 messages")
    stream: bool = Field(default=False, description="true: the answer as a text/event-stream of tokens")


class ChatResponse(BaseModel):
    content: str
    completionTokens: int
    finishReason: str


class Health(BaseModel):
    status: str


class ErrorBody(BaseModel):
    error: str = Field(description="a message for a person")
    code: str = Field(description="the machine-readable code, e.g. MALFORMED_JSON")


def request_body(model: type[BaseModel]) -> dict:
    """openapi_extra for an endpoint that reads its body itself: the model's schema as the request body."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": _inline(model.model_json_schema())}}}}


def _inline(schema: dict) -> dict:
    """A model's JSON schema with its nested models ($defs, as pydantic writes them) written in place:
    a "#/$defs/..." reference would point at the root of the OpenAPI document, where nothing is."""
    defs = schema.pop("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(defs[ref[len("#/$defs/"):]])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)


ERRORS = {status: {"model": ErrorBody} for status in (400, 401, 413, 415, 429, 503)}

CHAT_ERRORS = {status: {"model": ErrorBody} for status in (400, 401, 413, 415, 429, 502, 503, 504)}
