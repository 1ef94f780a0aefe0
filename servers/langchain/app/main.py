"""The LangChain row (the article's LangChain, served by FastAPI): servers/fastapi's glue as is for
HTTP (uvicorn, workers, edge, errors, meters, /info), with the inference endpoints answered through
langchain-core: /predict as a tool call (app/tool.py), /embed and /search through `Embeddings` and an
`InMemoryVectorStore` (app/retrieval.py), /chat through langchain-core Runnables over openai's
AsyncOpenAI (app/chat.py). The difference between this row and FastAPI's is
LangChain's own cost.
"""
from __future__ import annotations

from .host import load_fastapi_glue

load_fastapi_glue()

import langchain_core  # noqa: E402
from fastapi_app.glue import FRAMEWORK, Stack, create_app  # noqa: E402

from predictbench.output import dumps  # noqa: E402
from predictbench.service import Service  # noqa: E402

from .chat import LangChainChat  # noqa: E402
from .retrieval import GlossRetrieval  # noqa: E402
from .tool import ToolCallPipeline, classifier_tool  # noqa: E402

LANGCHAIN = f"LangChain (langchain-core {langchain_core.__version__})"


class LangChainEndpoints:
    """The inference endpoints through LangChain. Bodies are read and validated by predictbench first,
    as on every stack: bad JSON never reaches LangChain."""

    def __init__(self, service: Service):
        self.service = service
        self.tool_calls = ToolCallPipeline(classifier_tool(service))
        self.retrieval = GlossRetrieval(service)

    def predict(self, body: bytes) -> bytes:
        return self.tool_calls.predict(self.service.predict_rows(body))

    def embed(self, body: bytes) -> bytes:
        return dumps(self.retrieval.embed(body))

    def search(self, body: bytes) -> bytes:
        return dumps(self.retrieval.search(body))


STACK = Stack(name="langchain", framework=LANGCHAIN, endpoints=LangChainEndpoints, host=FRAMEWORK,
              summary="The predict-bench contract on LangChain, served by FastAPI",
              details={"genAi": "embedding runs on the request's pool thread through LangChain's Embeddings "
                                "(one ONNX Runtime session per worker); search through LangChain's InMemoryVectorStore",
                       "langchain": "/predict: a tool call of the StructuredTool classify_breast_tumours; "
                                    "/embed: Embeddings.embed_documents; /search: InMemoryVectorStore.similarity_search_with_score; "
                                    "/chat: RunnableGenerator.astream and RunnableLambda.ainvoke over openai's AsyncOpenAI "
                                    "(langchain-openai's ChatOpenAI needs langchain-protocol, not installable here)"},
              chat=LangChainChat,
              chat_handler="non-blocking, event loop: async def, langchain-core Runnables over openai's AsyncOpenAI (httpx2)")

app = create_app(STACK)
