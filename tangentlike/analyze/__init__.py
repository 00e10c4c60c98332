"""Stage 3: resolve calls to rules, build expression trees, and run the dataflow
analyses (activity, definedness, what the tape must record)."""

from .expression_nodes import Node
from .expressions import ExpressionBuilder
from .dataflow import FunctionFacts, analyze_function
