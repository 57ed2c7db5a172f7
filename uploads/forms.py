from django import forms

from .models import Upload


class UploadForm(forms.Form):
    bssy = forms.TypedChoiceField(label="BSSY", coerce=int, help_text="The school year of the records (default: current).")
    file = forms.FileField(help_text="A .txt batch file (020, 030 and 050 records) or a .zip of .txt files. "
                                     "Any file name is accepted.")
    mode = forms.ChoiceField(choices=Upload.MODES, widget=forms.RadioSelect, initial="validate",
                             help_text="Validate only writes nothing. Delete all and replace also removes the "
                                       "students on file at your sites for that BSSY that are not in the file.")

    def __init__(self, *args, bssy_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bssy"].choices = bssy_choices
