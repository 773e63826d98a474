package org.twitchtriage.review;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The clinician pages' addresses without the file name; the pages themselves are static resources. */
@Controller
class ClinicianPages {

    @GetMapping({"/clinician", "/clinician/"})
    String worklist() {
        return "forward:/clinician/index.html";
    }
}
