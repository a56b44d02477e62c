"""Output formats. `Format` names them; each command maps every format to a renderer."""

from mailauth.render.environment import Environment
from mailauth.render.interface import Format, Renderer

__all__ = ["Environment", "Format", "Renderer"]
