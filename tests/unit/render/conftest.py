from __future__ import annotations

import pytest
import render_fakes

from mailauth.domain.runner import DomainReport
from mailauth.render.environment import Environment


@pytest.fixture
def sample_report() -> DomainReport:
    return render_fakes.sample_report()


@pytest.fixture
def plain_env() -> Environment:
    return render_fakes.plain_env()


@pytest.fixture
def color_env() -> Environment:
    return render_fakes.color_env()
