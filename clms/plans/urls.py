from django.urls import path

from clms.plans import views, views_budget, views_tasks

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("commune/new/", views.commune_plan_create, name="adopt"),
    path("<int:pk>/edit/", views.commune_plan_edit, name="edit"),
    path("agencies/", views_tasks.agency_list, name="agencies"),
    path("agencies/<int:pk>/", views_tasks.agency_detail, name="agency"),
    path("tasks/<int:pk>/", views_tasks.task_detail, name="task"),
    path("tasks/<int:pk>/update/", views_tasks.task_update, name="task_update"),
    path("budget/", views_budget.budget_list, name="budget"),
    path("budget/new/", views_budget.budget_create, name="budget_create"),
    path("budget/<int:pk>/edit/", views_budget.budget_edit, name="budget_edit"),
    path("pilots/", views_budget.pilot_list, name="pilots"),
    path("pilots/new/", views_budget.pilot_create, name="pilot_create"),
    path("pilots/<int:pk>/edit/", views_budget.pilot_edit, name="pilot_edit"),
]
