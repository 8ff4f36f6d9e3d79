from django.conf import settings
from django.contrib import admin
from django.urls import path

from simulator import api, info_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("simulation/options", views.options_contrat, name="options_contrat"),
    path("simulation/<slug:slug>", views.etape, name="etape"),
    path("recapitulatif", views.recapitulatif, name="recapitulatif"),
    path("resultat", views.resultat, name="resultat"),
    path("comparaison", views.comparaison, name="comparaison"),
    path("suivi", views.suivi, name="suivi"),
    path("communes", views.communes, name="communes"),
    path("demonstration", info_views.demo, name="demo"),
    path("sources", info_views.sources, name="sources"),
    path("api/simulation", api.simulation, name="api_simulation"),
    path("api/schema", api.schema, name="api_schema"),
    path("sante", info_views.sante, name="sante"),
    path("favicon.ico", info_views.favicon),
    path("outils/lot", views.lot, name="lot"),
    path(settings.ADMIN_URL, admin.site.urls),
]

# A database outage answers 503 with Retry-After, on pages as on the API (simulator.guard).
handler500 = "simulator.guard.erreur_serveur"
