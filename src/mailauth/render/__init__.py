"""Output formats. `Format` names them; `registry` maps each to a renderer per report kind."""

from mailauth.render.environment import Environment
from mailauth.render.interface import Format, Renderer

__all__ = ["Environment", "Format", "Renderer"]
