"""Pages that bring several apps together: the home page, and later country pages and search."""

from django.shortcuts import render

from dialogues.models import Dialogue


def home(request):
    """The programme's front page."""
    dialogues = Dialogue.objects.filter(is_mmd_component=True)
    return render(request, "home.html", {"dialogues": dialogues})
