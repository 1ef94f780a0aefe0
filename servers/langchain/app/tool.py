"""/predict the LangChain way: the classifier is a LangChain tool, and each request is a tool call.

The request's rows become the arguments of a tool call to `classify_breast_tumours`, as a chat
model's tool call arrives (`AIMessage.tool_calls`: name, parsed arguments, id); LangChain validates
the arguments against the tool's schema, runs the tool and wraps its text in a `ToolMessage`. The
tool's text is the contract's JSON body, written by predictbench.output as every Python stack
writes it, and is sent as is.

Contract errors raised inside the tool (503 OVERLOADED from the in-flight limit, 400
NON_FINITE_VALUE for a model output that overflows) reach the client with their own code: they
are not ToolExceptions, and the tool is built with `handle_tool_error=False` and
`handle_validation_error=False` (LangChain's defaults, written out), so LangChain re-raises them
instead of returning their message as text for a model.
"""
# No `from __future__ import annotations` here: LangChain reads the tool function's type hints on every
# call (typing.get_type_hints), and annotations kept as strings would be compiled again each time.
import itertools

from langchain_core.messages import ToolMessage
from langchain_core.messages.tool import tool_call
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from predictbench.output import dumps
from predictbench.service import Service

NAME = "classify_breast_tumours"
DESCRIPTION = ("Classifies breast tumour samples (Breast Cancer Wisconsin, Diagnostic) as malignant or benign, "
               "with each class's probability.")


class ClassifyArguments(BaseModel):
    """The tool's arguments, as a chat model would send them; the tool's JSON schema for a model."""

    instances: list[list[float]] = Field(description="Rows to classify: each row is the 30 raw feature values "
                                                     "(mean radius ... worst fractal dimension) in the model card's order.")


def classifier_tool(service: Service) -> StructuredTool:
    """The classifier as a tool: `service.classify` on rows the glue has validated, its answer as JSON text."""

    def classify(instances: list[list[float]]) -> str:
        return dumps(service.classify(instances)).decode()

    return StructuredTool.from_function(func=classify, name=NAME, description=DESCRIPTION,
                                        args_schema=ClassifyArguments, handle_tool_error=False,
                                        handle_validation_error=False)


class ToolCallPipeline:
    """Answers /predict through a tool call; what the tool raises comes out as is."""

    def __init__(self, tool: BaseTool):
        self.tool = tool
        self._ids = itertools.count(1)

    def call(self, rows: list) -> ToolMessage:
        """Runs the tool through LangChain, as an agent runs a chat model's tool call."""
        request = tool_call(name=self.tool.name, args={"instances": rows}, id=f"call_{next(self._ids)}")
        return self.tool.invoke(request)

    def predict(self, rows: list) -> bytes:
        """The response body: the tool's text, as LangChain hands it back in the ToolMessage."""
        return self.call(rows).content.encode()
