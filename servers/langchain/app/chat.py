"""POST /chat on the LangChain row (variant `async`): langchain-core Runnables over the `openai`
package's AsyncOpenAI, on FastAPI's event loop.

langchain-openai's ChatOpenAI (1.6.6) is not used: it imports langchain-core's chat-model code
(`langchain_core.language_models.chat_models`), which imports `langchain-protocol`, and that package
cannot be installed here (servers/python/README.md). So the chat model's two calls are the client
ChatOpenAI itself calls, AsyncOpenAI's `chat.completions.create`, each wrapped in a langchain-core
Runnable: a RunnableGenerator streamed with `astream` (one relayed token per upstream chunk) and a
RunnableLambda called with `ainvoke` (the whole answer). The Runnables bring LangChain's own cost
(its run manager and callbacks per call), which is what this row measures beside FastAPI's.

AsyncOpenAI (openai 3.x) runs on httpx2: one httpx2.AsyncClient per worker, its pool raised to
PREDICTBENCH_UPSTREAM_POOL, its timeout PREDICTBENCH_UPSTREAM_TIMEOUT_MS for connect, read (the
headers and every gap between chunks), write and pool; max_retries=0, so a failure is reported at
once. Nothing here tokenizes (tiktoken is not installed): the upstream counts the tokens.
"""
from __future__ import annotations

import httpx2
import langchain_core
import openai
from langchain_core.runnables import RunnableGenerator, RunnableLambda

from predictbench import chat as chats
from predictbench.errors import ApiException

_OPENED = object()
"""What the streaming Runnable yields first, once the upstream's headers are in and fit."""


class LangChainChat:
    """The LangChain row's /chat client (glue.ChatEndpoint), one per worker process."""

    def __init__(self, chat: chats.ChatSettings):
        self.chat = chat
        timeout = httpx2.Timeout(chat.timeout_seconds)
        self.http = httpx2.AsyncClient(timeout=timeout, limits=httpx2.Limits(
            max_connections=chat.pool, max_keepalive_connections=chat.pool))
        self.client = openai.AsyncOpenAI(base_url=chat.upstream_url, api_key="unused", timeout=timeout,
                                         max_retries=0, http_client=self.http)
        self.streaming = RunnableGenerator(self._stream, name="chat_completions_stream")
        self.whole = RunnableLambda(self._complete, name="chat_completions")
        self.name = (f"openai {openai.__version__} AsyncOpenAI (httpx2 {httpx2.__version__}) in langchain-core "
                     f"{langchain_core.__version__} Runnables (RunnableGenerator.astream, RunnableLambda.ainvoke)")

    async def aclose(self):
        await self.client.close()
        await self.http.aclose()

    # ---- the Runnables' functions

    async def _stream(self, inputs):
        """RunnableGenerator's transform: the messages in, _OPENED and then each content token out."""
        messages = None
        async for messages in inputs:
            pass
        try:
            stream = await self.client.chat.completions.create(model=self.chat.model, messages=messages, stream=True)
        except Exception as e:
            raise _request_error(e, self.chat) from None
        try:
            content_type = stream.response.headers.get("content-type")
            if not chats.is_event_stream(content_type):
                raise chats.upstream_failed(f"it answered {content_type or 'no Content-Type'}, "
                                            f"not {chats.EVENT_STREAM}")
            yield _OPENED
            async for chunk in stream:
                if chunk.choices:
                    content = chunk.choices[0].delta.content
                    if content:
                        yield content
        finally:
            await stream.close()

    async def _complete(self, messages: list) -> dict:
        try:
            completion = await self.client.chat.completions.create(model=self.chat.model, messages=messages,
                                                                   stream=False)
        except Exception as e:
            raise _request_error(e, self.chat) from None
        try:
            choice = completion.choices[0]
            content, tokens = choice.message.content, completion.usage.completion_tokens
        except (AttributeError, IndexError, TypeError):
            raise chats.upstream_failed("its answer is not a chat completion") from None
        if type(content) is not str or type(tokens) is not int:
            raise chats.upstream_failed("its answer is not a chat completion")
        return {"content": content, "completionTokens": tokens, "finishReason": choice.finish_reason or "stop"}

    # ---- glue.ChatEndpoint

    async def open(self, messages: list) -> "_Events":
        outputs = self.streaming.astream(messages)
        try:
            first = await outputs.__anext__()
        except StopAsyncIteration:
            raise chats.upstream_failed("the stream ended before its headers") from None
        except BaseException:
            await outputs.aclose()
            raise
        if first is not _OPENED:
            await outputs.aclose()
            raise AssertionError("the stream's first output is its opening")
        return _Events(outputs, self.chat)

    async def complete(self, messages: list) -> dict:
        return await self.whole.ainvoke(messages)


class _Events:
    """The relayed events of one stream (glue.ChatEvents); aclose() ends the Runnable's generator,
    which closes the upstream response."""

    def __init__(self, outputs, chat: chats.ChatSettings):
        self.outputs = outputs
        self.chat = chat
        self.completed = False

    async def aclose(self):
        await self.outputs.aclose()

    async def __aiter__(self):
        try:
            async for token in self.outputs:
                yield chats.token_event(token)
        except ApiException as e:
            yield chats.error_event(e)
            return
        except Exception as e:
            yield chats.error_event(_stream_error(e, self.chat))
            return
        self.completed = True
        yield chats.DONE_EVENT


def _is_timeout(e: BaseException) -> bool:
    return isinstance(e, (openai.APITimeoutError, httpx2.TimeoutException))


def _request_error(e: Exception, chat: chats.ChatSettings) -> ApiException:
    """Before the answer's headers: a timeout is 504; refused, reset or a non-2xx status 502."""
    if isinstance(e, ApiException):
        return e
    if _is_timeout(e):
        return chats.upstream_timeout(chat.timeout_millis)
    if isinstance(e, openai.APIStatusError):
        return chats.upstream_failed(f"it answered HTTP {e.status_code}")
    cause = e.__cause__ or e
    return chats.upstream_failed(chats.describe(cause))


def _stream_error(e: Exception, chat: chats.ChatSettings) -> ApiException:
    """After the 200 started: a gap over the timeout, or the stream broke."""
    if _is_timeout(e) or _is_timeout(e.__cause__ or e):
        return chats.upstream_timeout(chat.timeout_millis, "sent its next chunk")
    return chats.upstream_failed("the stream broke (" + chats.describe(e) + ")")
