from django.urls import path

from . import data_views, overlap_views, page_views, staff_views, views

app_name = "intake"

urlpatterns = [
    path("", page_views.home, name="home"),
    path("guidelines/", page_views.guidelines, name="guidelines"),
    path("accessibility/", page_views.accessibility, name="accessibility"),
    path("privacy/", page_views.privacy, name="privacy"),
    path("privacy/my-data/", data_views.my_data_request, name="my_data_request"),
    path("privacy/my-data/<str:token>/", data_views.my_data_page, name="my_data"),
    path("privacy/my-data/<str:token>/data.json", data_views.my_data_download, name="my_data_json"),
    path("propose/", views.propose, name="propose"),
    path("propose/overlap/", overlap_views.check_overlap, name="overlap"),
    path("propose/introduction/<str:token>/", overlap_views.introduction, name="introduction"),
    path("proposals/find/", views.find, name="find"),
    path("proposals/<str:token>/", views.status, name="status"),
    path("proposals/<str:token>/check/", views.check_answers, name="check"),
    path("proposals/<str:token>/edit/", views.edit, name="edit"),
    path("proposals/<str:token>/submitted/", views.submitted, name="submitted"),
    path("proposals/<str:token>/withdraw/", views.withdraw, name="withdraw"),
    path("proposals/<str:token>/group/", views.group_page, name="group_page"),
    path("proposals/<str:token>/data.json", data_views.download, name="data"),
    path("proposals/<str:token>/erase/", data_views.erase, name="erase"),
    # Program managers' pages for the form's questions and the program pages (under
    # /reviews/: private, never cached, in the staff workspace).
    path("reviews/questions/", staff_views.questions, name="staff_questions"),
    path("reviews/questions/add/", staff_views.add_question, name="staff_add_question"),
    path("reviews/questions/<int:pk>/", staff_views.edit_question, name="staff_edit_question"),
    path(
        "reviews/questions/<int:pk>/<slug:action>/",
        staff_views.question_action,
        name="staff_question_action",
    ),
    path("reviews/pages/<slug:slug>/", staff_views.edit_page, name="staff_edit_page"),
    path("reviews/introductions/", staff_views.introductions, name="staff_introductions"),
    path(
        "reviews/introductions/<int:pk>/done/",
        staff_views.introduction_done,
        name="staff_introduction_done",
    ),
]
